import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { isMcapiError } from '@mcapi/errors';
import type { FaultInjector, FaultRule } from '../gateway/faults.js';
import type { RequestLog } from '../gateway/request-log.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { guardListener } from '../http/guard-listener.js';
import { pathSegments } from '../http/path-segments.js';
import { parseRequestTarget } from '../http/request-target.js';
import type { SandboxDashboard } from './dashboard.js';
import { refuseNonLoopback } from './loopback-guard.js';

/** Prefix of every dashboard endpoint on the plain listener. */
export const DASHBOARD_PREFIX = '/_dashboard';

/** What the dashboard HTTP API exposes. */
export interface DashboardHttpOptions {
  dashboard: SandboxDashboard;
  faults: FaultInjector;
  log: RequestLog;
  resetData: () => void;
  info: () => Record<string, unknown>;
  /** Endpoint groups served by other modules (the OAuth 2.0 clients), checked first. */
  mounts?: readonly DashboardMount[];
}

/** A group of dashboard endpoints under `prefix` (and the paths below it) with its own handler. */
export interface DashboardMount {
  prefix: string;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): void | Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The dashboard as HTTP endpoints (plain HTTP on 127.0.0.1), so `mcapi-keytool` users and client
 * tests can script it: sign CSRs, register signing keys, rotate response keys, toggle faults,
 * read the request log. JSON in, JSON out; errors are `{"error":{"code","message"}}`.
 */
export function createDashboardListener(options: DashboardHttpOptions): Server {
  const listener = guardListener(
    (request, response) => {
      const refusal = refuseNonLoopback(request, request.socket.localPort ?? 0);
      if (refusal) return send(response, problemReply(new HttpProblem(refusal.status, 'ERR_SANDBOX', refusal.message)));
      const url = parseRequestTarget(request);
      if (!url) return send(response, problemReply(new HttpProblem(400, 'ERR_INVALID_OPTION', 'The request target is not a valid URL path.')));
      const mount = options.mounts?.find(({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
      if (mount) return mount.handle(request, response, url);
      return handle(options, request, url)
        .catch((error: unknown) => {
          // Expected refusals become answers; anything else goes to the guard (500 + warning).
          if (error instanceof HttpProblem || error instanceof BodyTooLargeError || isMcapiError(error)) return problemReply(error);
          throw error;
        })
        .then((reply) => send(response, reply));
    },
    { label: 'dashboard', failure: (response) => send(response, problemReply(undefined)) },
  );
  return createServer(listener);
}

function problemReply(error: unknown): Reply {
  if (error instanceof HttpProblem) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof BodyTooLargeError) return { status: 413, body: { error: { code: 'ERR_SANDBOX', message: error.message } } };
  if (isMcapiError(error)) return { status: 400, body: { error: { code: error.code, message: error.message } } };
  return { status: 500, body: { error: { code: 'ERR_SANDBOX', message: 'internal sandbox error' } } };
}

async function handle(options: DashboardHttpOptions, request: IncomingMessage, url: URL): Promise<Reply> {
  const { dashboard, faults, log } = options;
  const method = request.method ?? 'GET';
  if (url.pathname !== DASHBOARD_PREFIX && !url.pathname.startsWith(`${DASHBOARD_PREFIX}/`)) {
    throw new HttpProblem(404, 'ERR_SANDBOX', `Not found; the dashboard lives under ${DASHBOARD_PREFIX}/.`);
  }
  const path = url.pathname.slice(DASHBOARD_PREFIX.length).replace(/\/$/, '') || '/';
  const segments = pathSegments(path);
  const json = async () => {
    const text = (await readBody(request)).toString('utf8');
    if (text.length === 0) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpProblem(400, 'ERR_INVALID_OPTION', 'The request body is not valid JSON.');
    }
  };
  const object = async () => {
    const body = await json();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpProblem(400, 'ERR_INVALID_OPTION', 'The request body must be a JSON object.');
    }
    return body as Record<string, unknown>;
  };
  const optionalString = (value: unknown, name: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new HttpProblem(400, 'ERR_INVALID_OPTION', `${name} must be a string.`);
    return value;
  };
  const optionalNumber = (value: unknown, name: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number') throw new HttpProblem(400, 'ERR_INVALID_OPTION', `${name} must be a number.`);
    return value;
  };

  const route = `${method} /${segments[0] ?? ''}`;
  switch (route) {
    case 'GET /':
      return { status: 200, body: options.info() };
    case 'GET /ca.pem':
      return { status: 200, text: dashboard.caCertificate() };
    case 'GET /request-encryption-certificate':
      return { status: 200, body: dashboard.requestEncryptionCertificate() };
    case 'POST /certificates': {
      const body = await object();
      const project = optionalString(body.project, 'project');
      const validityDays = optionalNumber(body.validityDays, 'validityDays');
      const issued = dashboard.signCsr({
        csr: optionalString(body.csr, 'csr') ?? '',
        purpose: body.purpose as 'mtls',
        ...(project !== undefined && { project }),
        ...(validityDays !== undefined && { validityDays }),
      });
      return { status: 201, body: issued };
    }
    case 'POST /signing-keys': {
      const body = await object();
      const csr = optionalString(body.csr, 'csr');
      const certificate = optionalString(body.certificate, 'certificate');
      const project = optionalString(body.project, 'project');
      const validityDays = optionalNumber(body.validityDays, 'validityDays');
      const issued = dashboard.registerSigningKey({
        ...(csr !== undefined && { csr }),
        ...(certificate !== undefined && { certificate }),
        ...(project !== undefined && { project }),
        ...(validityDays !== undefined && { validityDays }),
      });
      return { status: 201, body: issued };
    }
    case 'GET /keys':
      if (segments.length === 1) return { status: 200, body: dashboard.listKeys(url.searchParams.get('project') ?? undefined) };
      break;
    case 'POST /keys':
      if (segments.length === 3 && segments[2] === 'activate') return { status: 200, body: dashboard.activateResponseDecryptionKey(segments[1]!) };
      break;
    case 'DELETE /keys':
      if (segments.length === 2) return { status: 200, body: dashboard.revokeKey(segments[1]!) };
      break;
    case 'GET /faults':
      return { status: 200, body: faults.list() };
    case 'PUT /faults': {
      const body = await json();
      if (!Array.isArray(body)) throw new HttpProblem(400, 'ERR_INVALID_OPTION', 'PUT /_dashboard/faults takes a JSON array of fault rules.');
      faults.set(body as FaultRule[]);
      return { status: 200, body: faults.list() };
    }
    case 'POST /faults':
      faults.add((await object()) as FaultRule);
      return { status: 201, body: faults.list() };
    case 'DELETE /faults':
      faults.clear();
      return { status: 204 };
    case 'GET /log':
      return { status: 200, body: log.entries() };
    case 'DELETE /data':
      options.resetData();
      return { status: 204 };
    case 'DELETE /log':
      log.clear();
      return { status: 204 };
  }
  throw new HttpProblem(404, 'ERR_SANDBOX', `No dashboard endpoint ${method} ${DASHBOARD_PREFIX}${path}.`);
}

function send(response: ServerResponse, reply: Reply): void {
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
