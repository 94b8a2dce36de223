import { anything, dashboardFields, boolean as flag, text, texts } from '../dashboard/dashboard-fields.js';
import { type DashboardRoute, DashboardProblem, readJson } from '../dashboard/dashboard-routing.js';
import { optional } from '../http/schema.js';
import type { SandboxOAuth2 } from './sandbox-oauth2.js';

const BODY_HINT = ': { publicKey, clientId?, kid?, project?, redirectUris?, withSecret? }';

/**
 * The OAuth 2.0 endpoints of the dashboard, in its route table:
 * `GET /_dashboard/oauth2` (URLs), `POST|GET /_dashboard/oauth2/clients`,
 * `DELETE /_dashboard/oauth2/clients/{clientId}`, `DELETE /_dashboard/oauth2/refresh-tokens[?clientId=]`
 * and `GET /_dashboard/oauth2/token-log`. Errors are `{"error":{"code","message"}}` like the rest.
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, routes: oauth2DashboardRoutes(oauth2.api) });
 * ```
 */
export function oauth2DashboardRoutes(oauth2: SandboxOAuth2): DashboardRoute[] {
  return [
    ['GET', '/oauth2', () => ({ status: 200, body: { url: oauth2.url, issuer: oauth2.issuer, tokenEndpoint: oauth2.tokenEndpoint, authorizationEndpoint: oauth2.authorizationEndpoint } })],
    ['GET', '/oauth2/clients', () => ({ status: 200, body: oauth2.listClients() })],
    [
      'POST',
      '/oauth2/clients',
      async ({ request }) => {
        const body = await readJson(request, 64 * 1024).catch((error: unknown) => {
          throw error instanceof DashboardProblem ? new DashboardProblem(400, 'ERR_INVALID_OPTION', `The request body must be JSON${BODY_HINT}.`) : error;
        });
        // registerClient checks the key itself (PEM, certificate or public JWK).
        const { publicKey, ...rest } = dashboardFields(
          body,
          { publicKey: anything, clientId: optional(text), kid: optional(text), project: optional(text), redirectUris: optional(texts), withSecret: optional(flag) },
          BODY_HINT,
        );
        return { status: 201, body: oauth2.registerClient({ publicKey: publicKey as string, ...rest }) };
      },
    ],
    [
      'DELETE',
      '/oauth2/clients/:clientId',
      ({ params }) => {
        if (!oauth2.removeClient(params.clientId!)) throw new DashboardProblem(404, 'ERR_SANDBOX', 'No such OAuth 2.0 client.');
        return { status: 204 };
      },
    ],
    ['DELETE', '/oauth2/refresh-tokens', ({ url }) => ({ status: 200, body: { revoked: oauth2.revokeRefreshTokens(url.searchParams.get('clientId') ?? undefined) } })],
    ['GET', '/oauth2/token-log', () => ({ status: 200, body: oauth2.tokenLog() })],
  ];
}
