import { McapiError } from '@mcapi/errors';

/** The subset of `fetch` the OAuth 2.0 clients use; inject undici's or a test double. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** A token endpoint response: status, headers and the parsed JSON body (undefined if not JSON). */
export interface TokenResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | undefined;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Checks an endpoint URL once: https, or http only on the loopback interface (tests, sandbox). */
export function checkEndpoint(value: unknown, option: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch (cause) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an absolute URL such as https://sandbox.api.mastercard.com/oauth/token.`, { cause });
  }
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be a URL string.`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
  if (!secure) throw new McapiError('ERR_INVALID_OPTION', `${option} must use https (http is allowed only for 127.0.0.1/localhost).`);
  if (url.hash !== '' || url.href.includes('#')) throw new McapiError('ERR_INVALID_OPTION', `${option} must not have a fragment.`);
  return url;
}

export function checkNonEmpty(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') throw new McapiError('ERR_INVALID_OPTION', `${option} must be a non-empty string.`);
  return value;
}

/** POSTs a form to a token endpoint and reads the JSON answer. Network errors become typed. */
export async function postForm(
  fetchImpl: FetchLike,
  endpoint: URL,
  form: Record<string, string>,
  headers: Record<string, string>,
): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  } catch (cause) {
    throw new McapiError('ERR_OAUTH2_TOKEN', `The token endpoint ${endpoint.origin}${endpoint.pathname} could not be reached; see the cause.`, { cause });
  }
  let json: Record<string, unknown> | undefined;
  const text = await response.text();
  try {
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json };
}

/** True when the server asks for a (new) DPoP nonce (RFC 9449 §8 and §9). */
export function demandsDpopNonce(status: number, headers: Headers, json: Record<string, unknown> | undefined): boolean {
  if (status !== 400 && status !== 401) return false;
  if (json?.error === 'use_dpop_nonce') return true;
  return /error\s*=\s*"?use_dpop_nonce"?/i.test(headers.get('www-authenticate') ?? '');
}

/** A typed error for a refused token request; only the OAuth error code and a short description. */
export function tokenError(response: TokenResponse, what: string): McapiError {
  const code = typeof response.json?.error === 'string' ? response.json.error.slice(0, 64) : undefined;
  const description =
    typeof response.json?.error_description === 'string' ? `: ${response.json.error_description.slice(0, 200)}` : '';
  return new McapiError(
    'ERR_OAUTH2_TOKEN',
    `${what} was refused (HTTP ${response.status}${code === undefined ? '' : `, ${code}`}${description}). Check the client id, key id and registered key.`,
  );
}

/** Reads `access_token`, `expires_in` and the token type of a successful token response. */
export function readAccessToken(
  response: TokenResponse,
  expectedType: 'DPoP' | 'Bearer',
  what: string,
): { accessToken: string; expiresInSeconds: number; scope: string | undefined } {
  const json = response.json;
  const accessToken = json?.access_token;
  const tokenType = json?.token_type;
  const expiresIn = json?.expires_in;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new McapiError('ERR_OAUTH2_TOKEN', `${what}: the token endpoint answered ${response.status} without an access_token.`);
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== expectedType.toLowerCase()) {
    throw new McapiError('ERR_OAUTH2_TOKEN', `${what}: expected token_type ${expectedType}, got ${JSON.stringify(tokenType)}.`);
  }
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new McapiError('ERR_OAUTH2_TOKEN', `${what}: the token endpoint gave no valid expires_in.`);
  }
  return { accessToken, expiresInSeconds: expiresIn, scope: typeof json?.scope === 'string' ? json.scope : undefined };
}
