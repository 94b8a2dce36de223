import type { ServerResponse } from 'node:http';
import { isMcapiError } from '@mcapi/errors';
import { type FaultInjector, validateFaultRule } from '../gateway/faults.js';
import type { RequestLog } from '../gateway/request-log.js';
import { BodyTooLargeError } from '../http/body.js';
import { guardListener } from '../http/guard-listener.js';
import type { RequestListener } from '../http/listen.js';
import { parseRequestTarget } from '../http/request-target.js';
import { createRouteTable } from '../http/route-table.js';
import type { SandboxDashboard } from './dashboard.js';
import { optional } from '../http/schema.js';
import { dashboardFields, number, objectBody, oneOf, text } from './dashboard-fields.js';
import { type DashboardReply, type DashboardRoute, DashboardProblem, readJson } from './dashboard-routing.js';
import { refuseNonLoopback } from './loopback-guard.js';
import { dashboardWebRoutes, overviewReply, prefersHtml } from '../web/web-routes.js';
import type { DashboardWebSources } from '../web/web-sources.js';

/** Prefix of every dashboard endpoint on the plain listener. */
export const DASHBOARD_PREFIX = '/_dashboard';

/** What the dashboard HTTP API exposes. */
export interface DashboardHttpOptions {
  dashboard: SandboxDashboard;
  faults: FaultInjector;
  log: RequestLog;
  resetData: () => void;
  /** What `GET /_dashboard/` answers: the sandbox's URLs and certificates. */
  info: () => object;
  /** Endpoints served by other modules (the OAuth 2.0 clients), in the same route table. */
  routes?: readonly DashboardRoute[];
  /** What the web pages (`/_dashboard/ui/…`) show; without it only the JSON API is served. */
  web?: DashboardWebSources;
}

/** The dashboard's own endpoints (paths relative to {@link DASHBOARD_PREFIX}). */
export function dashboardRoutes(options: DashboardHttpOptions): DashboardRoute[] {
  const { dashboard, faults, log } = options;
  const done = (effect: () => void): DashboardReply => {
    effect();
    return { status: 204 };
  };
  return [
    // A browser opening /_dashboard/ gets the overview page; scripts keep getting JSON.
    ['GET', '/', ({ request }) => (options.web && prefersHtml(request) ? overviewReply(options.web) : { status: 200, body: options.info() })],
    ['GET', '/ca.pem', () => ({ status: 200, text: dashboard.caCertificate() })],
    ['GET', '/request-encryption-certificate', () => ({ status: 200, body: dashboard.requestEncryptionCertificate() })],
    [
      'POST',
      '/certificates',
      async ({ json }) => {
        const { csr = '', ...rest } = dashboardFields(await json(), {
          csr: optional(text),
          purpose: oneOf('mtls', 'response-decryption'),
          project: optional(text),
          validityDays: optional(number),
        });
        return { status: 201, body: dashboard.signCsr({ csr, ...rest }) };
      },
    ],
    [
      'POST',
      '/signing-keys',
      async ({ json }) => {
        const fields = dashboardFields(await json(), { csr: optional(text), certificate: optional(text), project: optional(text), validityDays: optional(number) });
        return { status: 201, body: dashboard.registerSigningKey(fields) };
      },
    ],
    ['GET', '/keys', ({ url }) => ({ status: 200, body: dashboard.listKeys(url.searchParams.get('project') ?? undefined) })],
    ['POST', '/keys/:id/activate', ({ params }) => ({ status: 200, body: dashboard.activateResponseDecryptionKey(params.id!) })],
    ['DELETE', '/keys/:id', ({ params }) => ({ status: 200, body: dashboard.revokeKey(params.id!) })],
    ['GET', '/faults', () => ({ status: 200, body: faults.list() })],
    [
      'PUT',
      '/faults',
      async ({ json }) => {
        const body = await json();
        if (!Array.isArray(body)) throw new DashboardProblem(400, 'ERR_INVALID_OPTION', 'PUT /_dashboard/faults takes a JSON array of fault rules.');
        faults.set(body.map((rule, index) => validateFaultRule(rule, `faults[${index}]`)));
        return { status: 200, body: faults.list() };
      },
    ],
    [
      'POST',
      '/faults',
      async ({ json }) => {
        faults.add(validateFaultRule(objectBody(await json())));
        return { status: 201, body: faults.list() };
      },
    ],
    ['DELETE', '/faults', () => done(() => faults.clear())],
    ['GET', '/log', () => ({ status: 200, body: log.entries() })],
    ['DELETE', '/log', () => done(() => log.clear())],
    ['DELETE', '/data', () => done(options.resetData)],
  ];
}

/**
 * The handler of the dashboard's plain HTTP listener on 127.0.0.1: the dashboard as endpoints, so
 * `mcapi-keytool` users and client tests can script it: sign CSRs, register signing keys, rotate
 * response keys, toggle faults, read the request log. JSON in, JSON out; errors are `{"error":{"code","message"}}`. Requests
 * from anything but this machine are refused first (see `loopback-guard.ts`); one route table
 * serves the dashboard's endpoints and those of other modules (`options.routes`).
 */
export function createDashboardListener(options: DashboardHttpOptions): RequestListener {
  const table = createRouteTable([...dashboardRoutes(options), ...(options.web ? dashboardWebRoutes(options.web) : []), ...(options.routes ?? [])]);
  return guardListener(
    async (request, response) => {
      const refusal = refuseNonLoopback(request, request.socket.localPort ?? 0);
      if (refusal) return send(response, problem(refusal.status, 'ERR_SANDBOX', refusal.message));
      const url = parseRequestTarget(request);
      if (!url) return send(response, problem(400, 'ERR_INVALID_OPTION', 'The request target is not a valid URL path.'));
      const method = request.method ?? 'GET';
      if (url.pathname !== DASHBOARD_PREFIX && !url.pathname.startsWith(`${DASHBOARD_PREFIX}/`)) {
        return send(response, problem(404, 'ERR_SANDBOX', `Not found; the dashboard lives under ${DASHBOARD_PREFIX}/.`));
      }
      const path = url.pathname.slice(DASHBOARD_PREFIX.length).replace(/\/$/, '') || '/';
      const match = table.match(method, path);
      if (match.kind === 'not-found') return send(response, problem(404, 'ERR_SANDBOX', `No dashboard endpoint ${method} ${DASHBOARD_PREFIX}${path}.`));
      if (match.kind === 'method-not-allowed') {
        response.setHeader('allow', match.allow.join(', '));
        return send(response, problem(405, 'ERR_SANDBOX', `${method} is not allowed on ${DASHBOARD_PREFIX}${path}; use ${match.allow.join(' or ')}.`));
      }
      if (match.kind === 'malformed-path') {
        return send(response, problem(400, 'ERR_INVALID_OPTION', `The path segment "${match.segment}" has a malformed percent-encoding; encode ids with encodeURIComponent.`));
      }
      let reply: DashboardReply;
      try {
        reply = await match.handler({ request, url, params: match.params, json: () => readJson(request) });
      } catch (error) {
        // Expected refusals become answers; anything else goes to the guard (500 + redacted warning).
        if (error instanceof DashboardProblem) reply = problem(error.status, error.code as 'ERR_SANDBOX', error.message);
        else if (error instanceof BodyTooLargeError) reply = problem(413, 'ERR_SANDBOX', error.message);
        else if (isMcapiError(error)) reply = problem(400, error.code as 'ERR_SANDBOX', error.message);
        else throw error;
      }
      send(response, reply);
    },
    { label: 'dashboard', failure: (response) => send(response, problem(500, 'ERR_SANDBOX', 'internal sandbox error')) },
  );
}

function problem(status: number, code: string, message: string): DashboardReply {
  return { status, body: { error: { code, message } } };
}

// Sent with every dashboard answer. The pages load their script and stylesheet from this origin
// only (no inline script, so markup that slipped through escaping could not run either), may
// not be framed (clickjacking) and are never cached.
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, reply: DashboardReply): void {
  for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
  if (reply.page !== undefined) {
    response.writeHead(reply.status, { 'content-type': reply.page.contentType, 'content-length': Buffer.byteLength(reply.page.content) });
    response.end(reply.page.content);
    return;
  }
  if (reply.text !== undefined) {
    response.writeHead(reply.status, { 'content-type': 'application/x-pem-file' });
    response.end(reply.text);
    return;
  }
  if (reply.body === undefined) {
    response.writeHead(reply.status);
    response.end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
