import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import { BAS_BASE_PATH } from '../bas/bas-routes.js';
import { basError } from '../envelopes/bas-error.js';
import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import { createBasProfile } from '../gateway/bas-profile.js';
import type { createCrossBorderAuthenticator } from '../gateway/cross-border-authenticator.js';
import { createCrossBorderProfile } from '../gateway/cross-border-profile.js';
import type { GatewayContext } from '../gateway/handle-gateway-request.js';
import { gatewayRequestListener } from '../gateway/request-listener.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { guardListener } from '../http/guard-listener.js';
import { isReplayStoreFull } from '../replay.js';
import { parseRequestTarget } from '../http/request-target.js';
import type { ResolvedSandboxOptions } from '../sandbox-options.js';
import type { SandboxStateData } from '../state/state-store.js';
import { createAccessTokenSigner } from './access-token-signer.js';
import { type SandboxLoginRequest, type SandboxLoginResult, handleAuthorizeRequest, sandboxLogin } from './authorize-endpoint.js';
import { createDpopNonces } from './dpop-nonces.js';
import { type RegisterOAuth2ClientOptions, type RegisteredOAuth2Client, createOAuth2ClientRegistry } from './oauth2-clients.js';
import { REFRESH_TOKEN_SECONDS, createOAuth2Grants } from './oauth2-grants.js';
import { sendJson, sendOAuthError } from './oauth2-http.js';
import type { OAuth2ServerContext, OAuth2TokenLogEntry } from './oauth2-server-context.js';
import { createOAuth2ResourceAuthenticator } from './resource-authenticator.js';
import { handleTokenRequest } from './token-endpoint.js';

/** Paths of the OAuth 2.0 endpoints on the OAuth 2.0 listener. */
export const OAUTH2_TOKEN_PATH = '/oauth2/token';
export const OAUTH2_AUTHORIZE_PATH = '/oauth2/authorize';
const METADATA_PATH = '/.well-known/oauth-authorization-server';
const JWKS_PATH = '/oauth2/jwks';
// The balance APIs take the authorization code flow's Bearer token (mastercard-security.md §4).
const BALANCE_PATHS = /\/crossborder\/accounts(\/|$)/;
const TOKEN_LOG_SIZE = 1000;

/** The OAuth 2.0 side of the sandbox: its URLs and dashboard functions. */
export interface SandboxOAuth2 {
  /** `https://127.0.0.1:<port>`: the Cross-Border paths and `/loyalty/benefits/…`, protected by OAuth 2.0. */
  readonly url: string;
  /** Issuer identifier: the `aud` of client assertions (the listener's origin). */
  readonly issuer: string;
  /** `<url>/oauth2/token`. */
  readonly tokenEndpoint: string;
  /** `<url>/oauth2/authorize` (the sandbox logs the person in at once and redirects with a code). */
  readonly authorizationEndpoint: string;
  /** Registers an OAuth 2.0 client: client id + public key (and redirect URIs for the balance flow). */
  registerClient(options: RegisterOAuth2ClientOptions): RegisteredOAuth2Client;
  listClients(): RegisteredOAuth2Client[];
  /** Removes a client; its tokens stop working at their next check. */
  removeClient(clientId: string): boolean;
  /** The authorize endpoint without HTTP: a code for a PKCE challenge, and the redirect. */
  login(request: SandboxLoginRequest): SandboxLoginResult;
  /** Revokes refresh tokens (of one client, or all): the next refresh gets `invalid_grant`. */
  revokeRefreshTokens(clientId?: string): number;
  /** The last 1000 token endpoint calls, oldest first (no credentials). */
  tokenLog(): OAuth2TokenLogEntry[];
}

/** Inputs of {@link createSandboxOAuth2}: what `startSandbox` already has. */
export interface SandboxOAuth2Options {
  context: GatewayContext;
  state: SandboxStateData;
  options: ResolvedSandboxOptions;
  /** The Cross-Border listener's OAuth 1.0a / request-token authenticator, shared so replays across listeners fail. */
  crossBorderAuthenticator: ReturnType<typeof createCrossBorderAuthenticator>;
}

/**
 * Creates the OAuth 2.0 listener (HTTPS, sandbox server certificate, not yet listening) and its
 * API: a token endpoint (client credentials with private_key_jwt + DPoP; authorization code with
 * PKCE; refresh with rotation), an authorize endpoint, and the Cross-Border and Benefit
 * Allocation routes behind DPoP-bound tokens. Cross-Border also keeps OAuth 1.0a (and the request
 * token when enabled) on this listener, so one base URL serves a client that mixes them.
 *
 * @example
 * ```ts
 * const oauth2 = createSandboxOAuth2({ context, state: store.data, options: resolved, crossBorderAuthenticator });
 * oauth2.setPort(await listen(oauth2.server, 0));
 * ```
 */
export function createSandboxOAuth2({ context, state, options, crossBorderAuthenticator }: SandboxOAuth2Options): {
  server: Server;
  api: SandboxOAuth2;
  setPort(port: number): void;
} {
  let origin = 'https://127.0.0.1';
  const tokenLog: OAuth2TokenLogEntry[] = [];
  const server: OAuth2ServerContext = {
    clients: createOAuth2ClientRegistry(),
    grants: createOAuth2Grants(context.now),
    nonces: createDpopNonces(context.now),
    replay: options.replayStore,
    now: context.now,
    issuer: () => origin,
    refreshTokenSeconds: REFRESH_TOKEN_SECONDS,
    accessTokens: createAccessTokenSigner(),
    recordToken(entry) {
      tokenLog.push({ time: new Date(context.now()).toISOString(), ...entry });
      if (tokenLog.length > TOKEN_LOG_SIZE) tokenLog.shift();
    },
  };

  // The gateway pipeline answers through its own writeHead; OAuth 2.0 challenges need headers
  // (WWW-Authenticate, DPoP-Nonce), so they are set on the response before it writes.
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  const setHeader = (request: IncomingMessage, name: string, value: string) => responses.get(request)?.setHeader(name, value);

  const crossBorder = gatewayRequestListener(
    context,
    createCrossBorderProfile({
      state: state.crossBorder,
      requireEncryption: options.encryption.requireCrossBorder,
      authenticate: createOAuth2ResourceAuthenticator({
        context: server,
        setHeader,
        bearerPaths: BALANCE_PATHS,
        fallback: crossBorderAuthenticator,
        unauthorized: (description) => gatewayError(401, 'Authorization', 'AUTHENTICATION_FAILED', description),
      }),
    }),
  );
  const benefitAllocation = gatewayRequestListener(context, {
    ...createBasProfile({
      state: state.benefitAllocation,
      projectOf: () => undefined,
      encryptedFieldName: options.encryption.benefitAllocationFieldName,
      requireEncryption: options.encryption.requireBenefitAllocation,
    }),
    authenticate: createOAuth2ResourceAuthenticator({
      context: server,
      setHeader,
      unauthorized: (description) => basError(401, 'UNAUTHORIZED', description),
    }),
  });

  const metadata = () => ({
    issuer: origin,
    token_endpoint: `${origin}${OAUTH2_TOKEN_PATH}`,
    authorization_endpoint: `${origin}${OAUTH2_AUTHORIZE_PATH}`,
    jwks_uri: `${origin}${JWKS_PATH}`,
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256'],
    dpop_signing_alg_values_supported: ['PS256', 'ES256'],
    authorization_response_iss_parameter_supported: true,
  });

  const https = createServer(
    {
      key: context.keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: context.keys.server.certificate.toString(),
      minVersion: 'TLSv1.2',
    },
    guardListener(
      (request, response) => {
        const url = parseRequestTarget(request);
        // Not a URL: no route can be chosen; answered as the gateway in front of the APIs would.
        if (!url) return void sendJson(response, 400, crossBorderError('062000', 'path', { description: 'The request target is not a valid URL path' }).body);
        const path = url.pathname;
        if (path === OAUTH2_TOKEN_PATH) {
          return readBody(request, 64 * 1024)
            .then((body) => handleTokenRequest(server, request, response, body))
            .catch((error: unknown) => {
              if (response.headersSent) throw error;
              if (error instanceof BodyTooLargeError) return sendOAuthError(response, 413, 'invalid_request', 'Token request body too large.');
              // Fail closed: a jti that cannot be remembered is not accepted (RFC 6749 §5.2 has no code; RFC 6749 §4.1.2.1's fits).
              if (isReplayStoreFull(error)) {
                return sendOAuthError(response, 503, 'temporarily_unavailable', 'Too many recent requests to remember; retry shortly.', { 'retry-after': '1' });
              }
              throw error;
            });
        }
        if (path === OAUTH2_AUTHORIZE_PATH) return handleAuthorizeRequest(server, request, response, url);
        if (path === METADATA_PATH) return sendJson(response, 200, metadata());
        if (path === JWKS_PATH) return server.accessTokens.jwks().then((jwks) => sendJson(response, 200, jwks));
        responses.set(request, response);
        if (path === BAS_BASE_PATH || path.startsWith(`${BAS_BASE_PATH}/`)) return benefitAllocation(request, response);
        return crossBorder(request, response);
      },
      // A token request carries client secrets and assertions: the guard redacts its warning.
      { label: 'oauth2', failure: (response) => sendOAuthError(response, 500, 'server_error', 'internal sandbox error') },
    ),
  );

  const api: SandboxOAuth2 = {
    get url() {
      return origin;
    },
    get issuer() {
      return origin;
    },
    get tokenEndpoint() {
      return `${origin}${OAUTH2_TOKEN_PATH}`;
    },
    get authorizationEndpoint() {
      return `${origin}${OAUTH2_AUTHORIZE_PATH}`;
    },
    registerClient: (registration) => server.clients.register(registration),
    listClients: () => server.clients.list(),
    removeClient: (clientId) => server.clients.remove(clientId),
    login: (request) => sandboxLogin(server, request),
    revokeRefreshTokens: (clientId) => server.grants.revokeRefreshTokens(clientId),
    tokenLog: () => tokenLog.map((entry) => ({ ...entry })),
  };
  return {
    server: https,
    api,
    setPort(port) {
      origin = `https://127.0.0.1:${port}`;
    },
  };
}
