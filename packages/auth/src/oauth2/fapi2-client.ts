import { McapiError } from '@mcapi/errors';
import { clientAssertionType, signClientAssertion } from './client-assertion.js';
import { type DpopProofer, createDpopProofer } from './dpop.js';
import type { JwtSigningKey } from '../jws/sign-jwt.js';
import type { Fapi2TokenCache } from '../stores/fapi2-token-cache.js';
import { fapi2AlgorithmFor } from './jws-algorithm.js';
import {
  type FetchLike,
  checkEndpoint,
  checkNonEmpty,
  demandsDpopNonce,
  postForm,
  readAccessToken,
  tokenError,
} from './token-endpoint.js';

/** Options of {@link createFapi2Client}. */
export interface Fapi2ClientOptions {
  clientId: string;
  /** Key id of `signingKey` as registered with the authorization server (assertion header `kid`). */
  kid: string;
  /** e.g. `https://sandbox.api.mastercard.com/oauth/token`. */
  tokenEndpoint: string;
  /** The authorization server's issuer identifier: the assertion's `aud`. */
  issuer: string;
  /** Private key for private_key_jwt: RSA ≥ 2048 bits (PS256) or EC P-256 (ES256); a KeyObject or an HSM key. */
  signingKey: JwtSigningKey;
  /** DPoP key (RSA ≥ 2048 or P-256), a KeyObject or an HSM key. Default: a P-256 key generated for this client. */
  dpopKey?: JwtSigningKey;
  /** Default scopes of token requests. */
  scopes?: readonly string[];
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /**
   * A cache shared by replicas (`createRedisFapi2TokenCache`), keyed by client, DPoP key
   * thumbprint and scope set: replicas holding the same DPoP key reuse one token. Default: this
   * process only.
   */
  tokenCache?: Fapi2TokenCache;
}

/** A cached DPoP-bound access token. */
export interface Fapi2AccessToken {
  accessToken: string;
  tokenType: 'DPoP';
  /** Expiry in ms since the epoch, as announced by the server. */
  expiresAt: number;
  scopes: readonly string[];
}

/** A request to authorize: method and URL (the DPoP proof covers both). */
export interface Fapi2Request {
  method: string;
  url: string | URL;
  scopes?: readonly string[];
}

/** FAPI 2.0 client: tokens by client credentials + private_key_jwt, bound to a DPoP key. */
export interface Fapi2Client {
  /** RFC 7638 thumbprint of the DPoP key (the token's `cnf.jkt`). */
  readonly dpopThumbprint: string;
  /** A valid token for `scopes` (default: `options.scopes`), from the cache when possible. */
  getToken(scopes?: readonly string[]): Promise<Fapi2AccessToken>;
  /** Headers for one resource call: `authorization: DPoP <token>` and a fresh `dpop` proof. */
  authorize(request: Fapi2Request): Promise<{ authorization: string; dpop: string }>;
  /**
   * `fetch` with DPoP authorization; on `use_dpop_nonce` the call is retried once with the
   * server's nonce (the body must then be replayable: a string or bytes).
   */
  fetch(input: string | URL, init?: RequestInit & { scopes?: readonly string[] }): Promise<Response>;
}

// Tokens are treated as expired this long before their announced expiry (mastercard-security.md §4).
const refreshEarlyMs = 60_000;

/**
 * Creates a FAPI 2.0 client for Mastercard platform OAuth 2.0: client credentials grant with a
 * private_key_jwt assertion, DPoP proofs (RFC 9449) for the token call and every resource call,
 * `use_dpop_nonce` retry, and a token cache keyed by DPoP key thumbprint and scope set, refreshed
 * 60 s early with one in-flight request shared by concurrent callers.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is invalid (at construction).
 * @throws {McapiError} `ERR_KEY_UNSUPPORTED` when the signing key is not RSA ≥ 2048 bits (PS256) or EC P-256 (ES256).
 * @throws {McapiError} `ERR_OAUTH2_TOKEN` when (token requests) the token endpoint is unreachable or refuses the request.
 *
 * @example
 * ```ts
 * const oauth = createFapi2Client({
 *   clientId, kid, signingKey, issuer: 'https://sandbox.api.mastercard.com',
 *   tokenEndpoint: 'https://sandbox.api.mastercard.com/oauth/token', scopes: ['payments'],
 * });
 * const response = await oauth.fetch('https://sandbox.api.mastercard.com/some/api', { method: 'GET' });
 * ```
 */
export function createFapi2Client(options: Fapi2ClientOptions): Fapi2Client {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createFapi2Client needs options { clientId, kid, tokenEndpoint, issuer, signingKey }.');
  }
  const clientId = checkNonEmpty(options.clientId, 'options.clientId');
  const kid = checkNonEmpty(options.kid, 'options.kid');
  const issuer = checkNonEmpty(options.issuer, 'options.issuer');
  const tokenEndpoint = checkEndpoint(options.tokenEndpoint, 'options.tokenEndpoint');
  const signingKey = options.signingKey;
  const algorithm = fapi2AlgorithmFor(signingKey, 'options.signingKey');
  const dpop: DpopProofer = createDpopProofer(options.dpopKey, 'options.dpopKey');
  const defaultScopes = checkScopes(options.scopes ?? [], 'options.scopes');
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  const sharedCache = options.tokenCache;
  if (sharedCache !== undefined && (typeof sharedCache?.get !== 'function' || typeof sharedCache.set !== 'function')) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.tokenCache must have get and set (see createRedisFapi2TokenCache).');
  }

  // Latest DPoP nonce per server origin (RFC 9449 §8: servers may rotate it on any response).
  const nonces = new Map<string, string>();
  const rememberNonce = (url: URL, headers: Headers) => {
    const nonce = headers.get('dpop-nonce');
    if (nonce !== null && nonce !== '') nonces.set(url.origin, nonce);
  };
  const cache = new Map<string, { token?: Fapi2AccessToken; pending?: Promise<Fapi2AccessToken> }>();

  async function requestToken(scopes: readonly string[]): Promise<Fapi2AccessToken> {
    for (let attempt = 0; ; attempt++) {
      const nowSeconds = seconds();
      const [assertion, proof] = await Promise.all([
        signClientAssertion({ clientId, kid, audience: issuer, signingKey, algorithm, nowSeconds }),
        dpop.proof({ method: 'POST', url: tokenEndpoint, nonce: nonces.get(tokenEndpoint.origin) }, nowSeconds),
      ]);
      const form: Record<string, string> = {
        grant_type: 'client_credentials',
        client_assertion_type: clientAssertionType,
        client_assertion: assertion,
      };
      if (scopes.length > 0) form.scope = scopes.join(' ');
      const response = await postForm(fetchImpl, tokenEndpoint, form, { dpop: proof });
      rememberNonce(tokenEndpoint, response.headers);
      if (response.status === 200) {
        const { accessToken, expiresInSeconds, scope } = readAccessToken(response, 'DPoP', 'The client credentials token request');
        return {
          accessToken,
          tokenType: 'DPoP',
          expiresAt: now() + expiresInSeconds * 1000,
          scopes: scope === undefined ? scopes : scope.split(' ').filter(Boolean),
        };
      }
      // RFC 9449 §8: answer the nonce challenge once; a second one means something else is wrong.
      if (attempt === 0 && demandsDpopNonce(response.status, response.headers, response.json) && response.headers.has('dpop-nonce')) continue;
      throw tokenError(response, 'The client credentials token request');
    }
  }

  async function getToken(requested?: readonly string[]): Promise<Fapi2AccessToken> {
    const scopes = requested === undefined ? defaultScopes : checkScopes(requested, 'scopes');
    const key = `${dpop.thumbprint} ${[...new Set(scopes)].sort().join(' ')}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = {};
      cache.set(key, entry);
    }
    if (entry.token !== undefined && now() < entry.token.expiresAt - refreshEarlyMs) return entry.token;
    if (entry.pending !== undefined) return entry.pending;
    const slot = entry;
    const fresh = (token: Fapi2AccessToken | undefined): token is Fapi2AccessToken => token !== undefined && now() < token.expiresAt - refreshEarlyMs;
    const obtain = async () => {
      if (sharedCache === undefined) return requestToken(scopes);
      const sharedKey = `${clientId} ${key}`;
      const cached = await sharedCache.get(sharedKey);
      if (fresh(cached)) return cached;
      const token = await requestToken(scopes);
      await sharedCache.set(sharedKey, token);
      return token;
    };
    slot.pending = obtain().then(
      (token) => {
        slot.token = token;
        delete slot.pending;
        return token;
      },
      (error: unknown) => {
        delete slot.pending;
        throw error;
      },
    );
    return slot.pending;
  }

  async function authorize(request: Fapi2Request): Promise<{ authorization: string; dpop: string }> {
    const url = new URL(request.url);
    const token = await getToken(request.scopes);
    const proof = await dpop.proof(
      { method: request.method, url, nonce: nonces.get(url.origin), accessToken: token.accessToken },
      seconds(),
    );
    return { authorization: `DPoP ${token.accessToken}`, dpop: proof };
  }

  return {
    dpopThumbprint: dpop.thumbprint,
    getToken,
    authorize,
    async fetch(input, init = {}) {
      const url = new URL(input);
      const method = init.method ?? 'GET';
      const { scopes, ...requestInit } = init;
      for (let attempt = 0; ; attempt++) {
        const headers = new Headers(requestInit.headers);
        const authorization = await authorize(scopes === undefined ? { method, url } : { method, url, scopes });
        headers.set('authorization', authorization.authorization);
        headers.set('dpop', authorization.dpop);
        const response = await fetchImpl(url, { ...requestInit, method, headers });
        rememberNonce(url, response.headers);
        if (attempt === 0 && response.headers.has('dpop-nonce') && demandsDpopNonce(response.status, response.headers, undefined)) {
          await response.body?.cancel();
          continue;
        }
        return response;
      }
    },
  };
}

function checkScopes(scopes: unknown, option: string): readonly string[] {
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || scope === '' || /\s/.test(scope))) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an array of scope names without spaces.`);
  }
  return scopes as readonly string[];
}
