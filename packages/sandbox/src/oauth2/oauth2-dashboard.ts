import type { IncomingMessage } from 'node:http';
import { isMcapiError } from '@mcapi/errors';
import type { DashboardMount } from '../dashboard/dashboard-http.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { pathSegments } from '../http/path-segments.js';
import type { RegisterOAuth2ClientOptions } from './oauth2-clients.js';
import { sendJson } from './oauth2-http.js';
import type { SandboxOAuth2 } from './sandbox-oauth2.js';

const PREFIX = '/_dashboard/oauth2';

/**
 * The OAuth 2.0 endpoints of the dashboard listener:
 * `GET /_dashboard/oauth2` (URLs), `POST|GET /_dashboard/oauth2/clients`,
 * `DELETE /_dashboard/oauth2/clients/{clientId}`, `DELETE /_dashboard/oauth2/refresh-tokens[?clientId=]`
 * and `GET /_dashboard/oauth2/token-log`. Errors are `{"error":{"code","message"}}` like the rest.
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, mounts: [oauth2DashboardMount(oauth2.api)] });
 * ```
 */
export function oauth2DashboardMount(oauth2: SandboxOAuth2): DashboardMount {
  return {
    prefix: PREFIX,
    handle(request, response, url) {
      return handle(oauth2, request, url)
        .catch((error: unknown): [number, unknown] => {
          if (isMcapiError(error)) return [400, { error: { code: error.code, message: error.message } }];
          if (error instanceof BodyTooLargeError) return [413, { error: { code: 'ERR_SANDBOX', message: error.message } }];
          // Anything else is the dashboard listener's guard's: a 500 and a redacted warning.
          throw error;
        })
        .then(([status, body]) => (body === undefined ? void response.writeHead(status).end() : sendJson(response, status, body)));
    },
  };
}

async function handle(oauth2: SandboxOAuth2, request: IncomingMessage, url: URL): Promise<[number, unknown?]> {
  const segments = pathSegments(url.pathname.slice(PREFIX.length));
  const route = `${request.method ?? 'GET'} /${segments[0] ?? ''}`;
  switch (route) {
    case 'GET /':
      return [200, { url: oauth2.url, issuer: oauth2.issuer, tokenEndpoint: oauth2.tokenEndpoint, authorizationEndpoint: oauth2.authorizationEndpoint }];
    case 'GET /clients':
      return [200, oauth2.listClients()];
    case 'POST /clients': {
      let body: unknown;
      try {
        const text = (await readBody(request, 64 * 1024)).toString('utf8');
        body = JSON.parse(text);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw error;
        return [400, { error: { code: 'ERR_INVALID_OPTION', message: 'The request body must be JSON: { publicKey, clientId?, kid?, project?, redirectUris?, withSecret? }.' } }];
      }
      return [201, oauth2.registerClient(body as RegisterOAuth2ClientOptions)];
    }
    case 'DELETE /clients':
      if (segments.length === 2) {
        return oauth2.removeClient(segments[1]!) ? [204] : [404, { error: { code: 'ERR_SANDBOX', message: 'No such OAuth 2.0 client.' } }];
      }
      break;
    case 'DELETE /refresh-tokens':
      return [200, { revoked: oauth2.revokeRefreshTokens(url.searchParams.get('clientId') ?? undefined) }];
    case 'GET /token-log':
      return [200, oauth2.tokenLog()];
  }
  return [404, { error: { code: 'ERR_SANDBOX', message: `No dashboard endpoint ${request.method} ${url.pathname}.` } }];
}
