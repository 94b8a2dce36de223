import { McapiError } from '@mcapi/errors';
import type { JwtSigningKey } from '../jws/sign-jwt.js';
import { clientAssertionType, signClientAssertion } from './client-assertion.js';
import { fapi2AlgorithmFor } from './jws-algorithm.js';
import { type RefreshCommit, isSharedRefreshTokenStore } from '../stores/shared-refresh.js';
import { type RefreshTokenStore, createFileRefreshTokenStore } from './refresh-token-store.js';
import { type FetchLike, type TokenResponse, checkEndpoint, checkNonEmpty, postForm, readAccessToken, tokenError } from './token-endpoint.js';

/** private_key_jwt client authentication for the token endpoint. */
export interface ClientAssertionOptions {
  signingKey: JwtSigningKey;
  kid: string;
  /** The authorization server's issuer identifier: the assertion's `aud`. */
  issuer: string;
}

/** Options of {@link createAuthorizationCodeClient}. */
export interface AuthorizationCodeClientOptions {
  tokenEndpoint: string;
  clientId: string;
  /** client_secret_basic authentication. Give this or `clientAssertion`. */
  clientSecret?: string;
  /** private_key_jwt authentication. Give this or `clientSecret`. */
  clientAssertion?: ClientAssertionOptions;
  /** The redirect URI registered for the client and used in the login request. */
  redirectUri: string;
  /**
   * Where the refresh token lives: a store, or `{ path }` for the 0600 atomic file store. A shared
   * store (`createRedisRefreshTokenStore`) also makes replicas refresh one at a time and share
   * the access token.
   */
  store: RefreshTokenStore | { path: string };
  /** Refresh token lifetime when the server does not announce one. Default 90 days. */
  refreshTokenLifetimeSeconds?: number;
  fetch?: FetchLike;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Token client of the authorization code flow (Cross-Border balances, MTS EU/UK). */
export interface AuthorizationCodeClient {
  /** Exchanges the code from the login redirect (with the PKCE verifier when one was used). */
  exchangeCode(input: { code: string; codeVerifier?: string }): Promise<{ accessToken: string; expiresAt: number }>;
  /**
   * A valid access token: cached, or refreshed 60 s before it expires. Throws
   * `ERR_OAUTH2_LOGIN_REQUIRED` when there is no refresh token or it has expired or been revoked.
   */
  getAccessToken(): Promise<string>;
  /** `Bearer <access token>` for the `Authorization` header. */
  authorize(): Promise<string>;
  /** Forgets the tokens (memory and store). */
  logout(): Promise<void>;
}

const refreshEarlyMs = 60_000;
const ninetyDaysSeconds = 90 * 24 * 60 * 60;

/**
 * Creates the authorization code flow client: code exchange (PKCE), access tokens refreshed
 * before their 15-minute expiry, the 90-day refresh token persisted through `store` (rotated
 * tokens saved), and a clear `ERR_OAUTH2_LOGIN_REQUIRED` when a person must log in again.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is invalid (at construction).
 * @throws {McapiError} `ERR_OAUTH2_LOGIN_REQUIRED` when (token requests) there is no valid refresh token: the user must log in again.
 * @throws {McapiError} `ERR_OAUTH2_TOKEN` when (token requests) the token endpoint is unreachable or refuses the request, or the refresh-token file is unreadable.
 *
 * @example
 * ```ts
 * const balances = createAuthorizationCodeClient({
 *   tokenEndpoint, clientId, clientSecret: process.env.MC_CLIENT_SECRET, redirectUri,
 *   store: { path: '.mcapi/balance-refresh-token.json' },
 * });
 * await balances.exchangeCode({ code, codeVerifier: pkce.codeVerifier }); // once, after login
 * const authorization = await balances.authorize(); // 'Bearer …', refreshed as needed
 * ```
 */
export function createAuthorizationCodeClient(options: AuthorizationCodeClientOptions): AuthorizationCodeClient {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createAuthorizationCodeClient needs options { tokenEndpoint, clientId, redirectUri, store, clientSecret | clientAssertion }.');
  }
  const tokenEndpoint = checkEndpoint(options.tokenEndpoint, 'options.tokenEndpoint');
  const clientId = checkNonEmpty(options.clientId, 'options.clientId');
  const redirectUri = checkNonEmpty(options.redirectUri, 'options.redirectUri');
  const authentication = clientAuthentication(options, clientId);
  const store = toStore(options.store);
  const refreshLifetime = options.refreshTokenLifetimeSeconds ?? ninetyDaysSeconds;
  if (!Number.isFinite(refreshLifetime) || refreshLifetime <= 0) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.refreshTokenLifetimeSeconds must be a positive number.');
  }
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;

  let current: { accessToken: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function tokenRequest(form: Record<string, string>): Promise<TokenResponse> {
    const { form: authForm, headers } = await authentication(Math.floor(now() / 1000));
    return postForm(fetchImpl, tokenEndpoint, { ...form, ...authForm }, headers);
  }

  async function accept(
    response: TokenResponse,
    what: string,
    commit: RefreshCommit,
    previousRefreshToken?: string,
  ): Promise<{ accessToken: string; expiresAt: number }> {
    const { accessToken, expiresInSeconds } = readAccessToken(response, 'Bearer', what);
    const issuedAt = now();
    const refreshToken = typeof response.json?.refresh_token === 'string' ? response.json.refresh_token : previousRefreshToken;
    if (refreshToken === undefined) throw new McapiError('ERR_OAUTH2_TOKEN', `${what}: the token endpoint returned no refresh_token.`);
    if (refreshToken !== previousRefreshToken) {
      const announced = response.json?.refresh_token_expires_in;
      const lifetime = typeof announced === 'number' && announced > 0 ? announced : refreshLifetime;
      await commit.save({ refreshToken, expiresAt: issuedAt + lifetime * 1000 });
    }
    current = { accessToken, expiresAt: issuedAt + expiresInSeconds * 1000 };
    return current;
  }

  // `commit` is the store itself, or for a shared store the writes of the replica holding the lock.
  async function refresh(commit: RefreshCommit): Promise<{ accessToken: string; expiresAt: number }> {
    const stored = await store.load();
    if (stored === undefined) throw loginRequired('No refresh token is stored');
    if (now() >= stored.expiresAt) {
      await commit.clear();
      throw loginRequired('The refresh token has expired (they live 90 days)');
    }
    const what = 'The refresh token request';
    const response = await tokenRequest({ grant_type: 'refresh_token', refresh_token: stored.refreshToken });
    if (response.status !== 200) {
      // RFC 6749 §5.2: invalid_grant = the refresh token is expired, revoked or unknown.
      if (response.json?.error === 'invalid_grant') {
        await commit.clear();
        throw loginRequired('The authorization server no longer accepts the refresh token');
      }
      throw tokenError(response, what);
    }
    return accept(response, what, commit, stored.refreshToken);
  }

  async function refreshed(): Promise<string> {
    if (!isSharedRefreshTokenStore(store)) {
      // Across processes too, when the store can (the file store locks its file): one refresh at
      // a time, each reading the token the previous one saved (a rotated refresh token is spent
      // on use).
      const task = async () => (await refresh(store)).accessToken;
      return store.exclusive ? store.exclusive(task) : task();
    }
    current = await store.coordinateRefresh({ isFresh: (token) => now() < token.expiresAt - refreshEarlyMs, refresh });
    return current.accessToken;
  }

  return {
    async exchangeCode(input) {
      const code = checkNonEmpty(input?.code, 'code');
      const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
      if (input.codeVerifier !== undefined) form.code_verifier = checkNonEmpty(input.codeVerifier, 'codeVerifier');
      const what = 'The authorization code exchange';
      const response = await tokenRequest(form);
      if (response.status !== 200) throw tokenError(response, what);
      const token = await accept(response, what, store);
      return { accessToken: token.accessToken, expiresAt: token.expiresAt };
    },
    async getAccessToken() {
      if (current !== undefined && now() < current.expiresAt - refreshEarlyMs) return current.accessToken;
      pending ??= refreshed().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async authorize() {
      return `Bearer ${await this.getAccessToken()}`;
    },
    async logout() {
      current = undefined;
      await store.clear();
    },
  };
}

function loginRequired(reason: string): McapiError {
  return new McapiError(
    'ERR_OAUTH2_LOGIN_REQUIRED',
    `${reason}: a person must log in again on Mastercard's authorization page, then call exchangeCode with the new code.`,
  );
}

function toStore(value: unknown): RefreshTokenStore {
  const candidate = value as Partial<RefreshTokenStore> & { path?: unknown };
  if (typeof value === 'object' && value !== null) {
    if (typeof candidate.load === 'function' && typeof candidate.save === 'function' && typeof candidate.clear === 'function') {
      if (candidate.exclusive !== undefined && typeof candidate.exclusive !== 'function') {
        throw new McapiError('ERR_INVALID_OPTION', 'options.store.exclusive must be a function (task) => Promise when given.');
      }
      return candidate as RefreshTokenStore;
    }
    if (typeof candidate.path === 'string') return createFileRefreshTokenStore(candidate.path);
  }
  throw new McapiError('ERR_INVALID_OPTION', 'options.store must be { path } or an object with load, save and clear.');
}

type Authentication = (nowSeconds: number) => Promise<{ form: Record<string, string>; headers: Record<string, string> }>;

function clientAuthentication(options: AuthorizationCodeClientOptions, clientId: string): Authentication {
  const { clientSecret, clientAssertion } = options;
  if ((clientSecret === undefined) === (clientAssertion === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Give exactly one of options.clientSecret and options.clientAssertion.');
  }
  if (clientSecret !== undefined) {
    checkNonEmpty(clientSecret, 'options.clientSecret');
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
    return async () => ({ form: {}, headers: { authorization: `Basic ${basic}` } });
  }
  const assertion = clientAssertion!;
  const algorithm = fapi2AlgorithmFor(assertion.signingKey, 'options.clientAssertion.signingKey');
  const kid = checkNonEmpty(assertion.kid, 'options.clientAssertion.kid');
  const issuer = checkNonEmpty(assertion.issuer, 'options.clientAssertion.issuer');
  return async (nowSeconds) => ({
    form: {
      client_id: clientId,
      client_assertion_type: clientAssertionType,
      client_assertion: await signClientAssertion({ clientId, kid, audience: issuer, signingKey: assertion.signingKey, algorithm, nowSeconds }),
    },
    headers: {},
  });
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
