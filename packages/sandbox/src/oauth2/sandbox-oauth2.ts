import type { IncomingMessage, ServerResponse } from 'node:http';
import { BAS_BASE_PATH } from '../bas/bas-routes.js';
import { basError } from '../envelopes/bas-error.js';
import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import { createBasProfile } from '../gateway/bas-profile.js';
import type { createCrossBorderAuthenticator } from '../gateway/cross-border-authenticator.js';
import { createCrossBorderProfile } from '../gateway/cross-border-profile.js';
import type { GatewayContext } from '../gateway/handle-gateway-request.js';
import { gatewayRequestListener } from '../gateway/request-listener.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { createRouteTable } from '../http/route-table.js';
import { guardListener } from '../http/guard-listener.js';
import type { RequestListener } from '../http/listen.js';
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
  /** The listener's origin, `https://127.0.0.1:<port>` (bound before this is built): the issuer and `aud`. */
  origin: string;
}

/**
 * The OAuth 2.0 listener's request handler and API: a token endpoint (client credentials with
 * private_key_jwt + DPoP; authorization code with PKCE; refresh with rotation), an authorize
 * endpoint, and the Cross-Border and Benefit Allocation routes behind DPoP-bound tokens.
 * Cross-Border also keeps OAuth 1.0a (and the request token when enabled) on this listener, so
 * one base URL serves a client that mixes them.
 *
 * @example
 * ```ts
 * const [port] = await listenAll([server], [0]);
 * const oauth2 = createSandboxOAuth2({ context, state, options, crossBorderAuthenticator, origin: `https://127.0.0.1:${port}` });
 * serve(server, oauth2.listener);
 * ```
 */
export function createSandboxOAuth2(input: SandboxOAuth2Options): { listener: RequestListener; api: SandboxOAuth2 } {
  const tokenLog: OAuth2TokenLogEntry[] = [];
  const server = createOAuth2ServerContext(input.context.now, input.options.replayStore, input.origin, tokenLog);
  // The gateway pipeline answers through its own writeHead; OAuth 2.0 challenges need headers
  // (WWW-Authenticate, DPoP-Nonce), so they are set on the response before it writes.
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  const setHeader = (request: IncomingMessage, name: string, value: string) => responses.get(request)?.setHeader(name, value);
  const apis = oauth2Apis({ ...input, server, setHeader });
  const listener = oauth2Listener(server, (request, response) => {
    responses.set(request, response);
    const path = parseRequestTarget(request)?.pathname ?? '/';
    return path === BAS_BASE_PATH || path.startsWith(`${BAS_BASE_PATH}/`) ? apis.benefitAllocation(request, response) : apis.crossBorder(request, response);
  });
  return { listener, api: sandboxOAuth2Api(server, tokenLog, input.origin) };
}

function createOAuth2ServerContext(
  now: () => number,
  replay: OAuth2ServerContext['replay'],
  origin: string,
  tokenLog: OAuth2TokenLogEntry[],
): OAuth2ServerContext {
  return {
    clients: createOAuth2ClientRegistry(),
    grants: createOAuth2Grants(now),
    nonces: createDpopNonces(now),
    replay,
    now,
    issuer: origin,
    refreshTokenSeconds: REFRESH_TOKEN_SECONDS,
    accessTokens: createAccessTokenSigner(),
    recordToken(entry) {
      tokenLog.push({ time: new Date(now()).toISOString(), ...entry });
      if (tokenLog.length > TOKEN_LOG_SIZE) tokenLog.shift();
    },
  };
}

/** The Cross-Border and Benefit Allocation gateways of the OAuth 2.0 listener: DPoP-bound tokens first. */
function oauth2Apis(input: SandboxOAuth2Options & { server: OAuth2ServerContext; setHeader: (request: IncomingMessage, name: string, value: string) => void }) {
  const { context, state, options, server, setHeader } = input;
  const crossBorder = gatewayRequestListener(
    context,
    createCrossBorderProfile({
      state: state.crossBorder,
      requireEncryption: options.encryption.requireCrossBorder,
      authenticate: createOAuth2ResourceAuthenticator({
        context: server,
        setHeader,
        bearerPaths: BALANCE_PATHS,
        fallback: input.crossBorderAuthenticator,
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
  return { crossBorder, benefitAllocation };
}

function oauth2Metadata(origin: string) {
  return {
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
  };
}

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void | Promise<void>;

/**
 * The OAuth 2.0 listener's request handler: the OAuth endpoints in one route table (405 with
 * `Allow` in the OAuth error form), every other path to the APIs behind the tokens.
 */
function oauth2Listener(server: OAuth2ServerContext, apis: (request: IncomingMessage, response: ServerResponse) => void) {
  const table = createRouteTable<Handler>([
    ['POST', OAUTH2_TOKEN_PATH, (request, response) => tokenEndpoint(server, request, response)],
    ['GET', OAUTH2_AUTHORIZE_PATH, (_request, response, url) => handleAuthorizeRequest(server, response, url)],
    ['GET', METADATA_PATH, (_request, response) => sendJson(response, 200, oauth2Metadata(server.issuer))],
    ['GET', JWKS_PATH, async (_request, response) => sendJson(response, 200, await server.accessTokens.jwks())],
  ]);
  return guardListener(
    (request, response) => {
      const url = parseRequestTarget(request);
      // Not a URL: no route can be chosen; answered as the gateway in front of the APIs would.
      if (!url) return sendJson(response, 400, crossBorderError('062000', 'path', { description: 'The request target is not a valid URL path' }).body);
      const match = table.match(request.method ?? 'GET', url.pathname);
      if (match.kind === 'found') return match.handler(request, response, url);
      if (match.kind === 'method-not-allowed') {
        return sendOAuthError(response, 405, 'invalid_request', `${url.pathname} takes ${match.allow.join(' or ')}.`, { allow: match.allow.join(', ') });
      }
      return apis(request, response);
    },
    // A token request carries client secrets and assertions: the guard redacts its warning.
    { label: 'oauth2', failure: (response) => sendOAuthError(response, 500, 'server_error', 'internal sandbox error') },
  );
}

async function tokenEndpoint(server: OAuth2ServerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    await handleTokenRequest(server, request, response, await readBody(request, 64 * 1024));
  } catch (error) {
    if (response.headersSent) throw error;
    if (error instanceof BodyTooLargeError) return sendOAuthError(response, 413, 'invalid_request', 'Token request body too large.');
    // Fail closed: a jti that cannot be remembered is not accepted.
    if (isReplayStoreFull(error)) {
      return sendOAuthError(response, 503, 'temporarily_unavailable', 'Too many recent requests to remember; retry shortly.', { 'retry-after': '1' });
    }
    throw error;
  }
}

function sandboxOAuth2Api(server: OAuth2ServerContext, tokenLog: OAuth2TokenLogEntry[], origin: string): SandboxOAuth2 {
  return {
    url: origin,
    issuer: origin,
    tokenEndpoint: `${origin}${OAUTH2_TOKEN_PATH}`,
    authorizationEndpoint: `${origin}${OAUTH2_AUTHORIZE_PATH}`,
    registerClient: (registration) => server.clients.register(registration),
    listClients: () => server.clients.list(),
    removeClient: (clientId) => server.clients.remove(clientId),
    login: (request) => sandboxLogin(server, request),
    revokeRefreshTokens: (clientId) => server.grants.revokeRefreshTokens(clientId),
    tokenLog: () => tokenLog.map((entry) => ({ ...entry })),
  };
}
