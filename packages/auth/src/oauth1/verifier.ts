import { type KeyObject, X509Certificate, constants, verify } from 'node:crypto';
import { McapiError, isMcapiError } from '@mcapi/errors';
import { type OAuthParameterName, parseAuthorizationHeader } from './authorization-header.js';
import { baseStringOf } from './base-string.js';
import { type OAuth1Body, bodyHash } from './body-hash.js';
import { type NonceStore, createMemoryNonceStore } from './nonce-store.js';
import { queryParameters } from './parameters.js';
import { percentEncode } from './percent-encode.js';
import { expectedOriginOf, parseRequestUrl } from './request-url.js';
import { type OAuth1SignatureMethod, pssSaltLength } from './signing-key.js';

/** Request headers: a `Headers` object or Node's `IncomingHttpHeaders`. */
export type OAuth1Headers = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Finds the public key (or certificate) registered for a consumer key; undefined if unknown. */
export type OAuth1KeyLookup = (
  consumerKey: string,
) => KeyObject | X509Certificate | undefined | Promise<KeyObject | X509Certificate | undefined>;

/** Options of {@link verifyOAuth1}: the request exactly as received. */
export interface VerifyOAuth1Options {
  method: string;
  /**
   * The URL the client called. With `expectedOrigin`, the request target as received
   * (`req.url`: path and raw query); without it, the full URL (scheme, host, path and raw query),
   * which the caller must not build from the `Host` header.
   */
  url: string | URL;
  /**
   * The origin this service is reached at (`https://api.example.com`). The signature is checked
   * over this origin whatever the request's `Host` header says, so a request signed for another
   * host cannot be replayed here; a `url` naming another origin is refused as `invalid_url`.
   * Recommended whenever the URL comes from a request.
   */
  expectedOrigin?: string | URL;
  headers: OAuth1Headers;
  /** The exact body bytes received; absent or empty for none. */
  body?: OAuth1Body | null | undefined;
  lookupKey: OAuth1KeyLookup;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Accepted clock difference, seconds, both directions. Default 300. */
  maxSkewSeconds?: number;
  /** Where used nonces are remembered. Default: a process-wide bounded in-memory store. */
  nonceStore?: NonceStore;
}

/** Why a request was refused; stable values to branch on. */
export type OAuth1FailureReason =
  | 'missing_authorization'
  | 'malformed_authorization'
  | 'missing_parameter'
  | 'unsupported_signature_method'
  | 'unsupported_version'
  | 'invalid_url'
  | 'unknown_consumer_key'
  | 'body_hash_mismatch'
  | 'timestamp_out_of_window'
  | 'invalid_signature'
  | 'nonce_replayed';

/** Outcome of {@link verifyOAuth1}. */
export type VerifyOAuth1Result =
  | {
      ok: true;
      consumerKey: string;
      signatureMethod: OAuth1SignatureMethod;
      nonce: string;
      /** `oauth_timestamp`, seconds. */
      timestamp: number;
      signatureBaseString: string;
    }
  | {
      ok: false;
      reason: OAuth1FailureReason;
      /** What is wrong, for the caller; never contains key material. */
      message: string;
      /** The consumer key the request claimed, when the header could be read. */
      consumerKey?: string;
      /**
       * The base string the server computed from the request as received: Mastercard's gateway
       * returns it as "Acceptable signature base string" so the client can compare.
       */
      signatureBaseString?: string;
    };

const required: readonly OAuthParameterName[] = [
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_body_hash',
];
const timestampPattern = /^[0-9]{1,12}$/;
const canonicalEncoding = /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})+$/;
const defaultNonceStore = createMemoryNonceStore();

/**
 * Verifies a Mastercard OAuth 1.0a signed request (for the sandbox, and for services receiving
 * signed Mastercard push calls): strict header parsing, body hash, base string, signature with the
 * key registered for the consumer key, timestamp window and nonce replay. Never throws for a bad
 * request: the result says why and carries the acceptable signature base string.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for options that are not a request as received.
 * @throws {McapiError} `ERR_REPLAY_STORE_FULL` (the memory nonce store; a custom store throws its
 * own) when the nonce cannot be recorded: such a request is never accepted, since it could not be
 * remembered. A request that fails verification is not an error: the result is `{ ok: false, reason }`.
 *
 * @example
 * ```ts
 * const result = await verifyOAuth1({
 *   method: req.method, expectedOrigin: 'https://api.example.com', url: req.url, headers: req.headers, body,
 *   lookupKey: (consumerKey) => clients.get(consumerKey),
 * });
 * if (!result.ok) return reply(401, `${result.message} Acceptable signature base string: ${result.signatureBaseString}`);
 * ```
 */
export async function verifyOAuth1(options: VerifyOAuth1Options): Promise<VerifyOAuth1Result> {
  const { method, headers, lookupKey } = options;
  if (typeof method !== 'string' || method === '') throw new McapiError('ERR_INVALID_OPTION', 'options.method must be the HTTP method received.');
  if (typeof lookupKey !== 'function') throw new McapiError('ERR_INVALID_OPTION', 'options.lookupKey must be a function (consumerKey) => key.');
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  if (typeof maxSkewSeconds !== 'number' || !(maxSkewSeconds >= 0)) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.maxSkewSeconds must be a number of seconds, 0 or more.');
  }
  const now = options.now ?? Date.now;
  const nonceStore = options.nonceStore ?? defaultNonceStore;
  const expectedOrigin = options.expectedOrigin === undefined ? undefined : expectedOriginOf(options.expectedOrigin);

  const header = authorizationHeader(headers);
  if (header === undefined) return fail('missing_authorization', 'The request has no Authorization header.');
  if (header === null) return fail('malformed_authorization', 'The request has more than one Authorization header.');
  const parsed = parseAuthorizationHeader(header);
  if (!parsed.ok) return fail('malformed_authorization', parsed.message);
  const params = parsed.params;
  const consumerKey = params.oauth_consumer_key;
  for (const name of required) {
    if (params[name] === undefined || params[name] === '') {
      return fail('missing_parameter', `The Authorization header has no ${name}.`, consumerKey);
    }
  }
  const signatureMethod = params.oauth_signature_method!;
  const timestampText = params.oauth_timestamp!;
  const nonce = params.oauth_nonce!;

  let url: URL;
  try {
    url = parseRequestUrl(expectedOrigin === undefined ? options.url : resolveAgainst(options.url, expectedOrigin));
  } catch (error) {
    if (isMcapiError(error)) return fail('invalid_url', error.message, consumerKey);
    throw error;
  }
  if (expectedOrigin !== undefined && url.origin !== expectedOrigin) {
    return fail('invalid_url', `The request names another origin than ${expectedOrigin}; sign the URL of this service.`, consumerKey);
  }
  // The base string over every oauth_* parameter received except the signature, values as written.
  const pairs = queryParameters(url.search);
  for (const name of Object.keys(params) as OAuthParameterName[]) {
    if (name !== 'oauth_signature') pairs.push([name, params[name]!]);
  }
  const signatureBaseString = baseStringOf(method, url, pairs);
  const failWithBase = (reason: OAuth1FailureReason, message: string): VerifyOAuth1Result => ({
    ok: false,
    reason,
    message,
    consumerKey: consumerKey!,
    signatureBaseString,
  });

  if (signatureMethod !== 'RSA-SHA256' && signatureMethod !== 'RSA-PSS') {
    return failWithBase('unsupported_signature_method', `oauth_signature_method ${signatureMethod} is not supported; use RSA-SHA256 or RSA-PSS.`);
  }
  if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
    return failWithBase('unsupported_version', 'oauth_version must be 1.0 when present.');
  }
  if (!timestampPattern.test(timestampText)) return failWithBase('malformed_authorization', 'oauth_timestamp must be seconds since the epoch.');
  const signature = decodeSignature(params.oauth_signature!);
  if (signature === undefined) {
    return failWithBase('malformed_authorization', 'oauth_signature must be the percent-encoded (uppercase hex) base64 signature.');
  }

  let received: OAuth1Body | null | undefined;
  try {
    received = options.body;
    if (bodyHash(received) !== params.oauth_body_hash) {
      return failWithBase('body_hash_mismatch', 'oauth_body_hash does not match the SHA-256 of the body received (hash the exact bytes sent, after encryption).');
    }
  } catch (error) {
    if (isMcapiError(error)) throw new McapiError('ERR_INVALID_OPTION', 'options.body must be the raw body received, as a string or bytes.');
    throw error;
  }

  const timestamp = Number(timestampText);
  const nowMs = now();
  if (Math.abs(nowMs / 1000 - timestamp) > maxSkewSeconds) {
    return failWithBase('timestamp_out_of_window', `oauth_timestamp is more than ${maxSkewSeconds} s away from the server clock; sync the client clock and sign every attempt afresh.`);
  }

  const found = await lookupKey(consumerKey!);
  if (found === undefined) return failWithBase('unknown_consumer_key', 'The consumer key is not known.');
  const publicKey = found instanceof X509Certificate ? found.publicKey : found;
  const data = Buffer.from(signatureBaseString, 'utf8');
  let valid = false;
  try {
    valid =
      signatureMethod === 'RSA-PSS'
        ? verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength }, signature)
        : verify('sha256', data, publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return failWithBase('invalid_signature', 'The signature does not match the signature base string and the key registered for this consumer key.');

  // Claimed only after the signature checks out, so forged requests cannot burn nonces. A store
  // that cannot record it throws, and the error propagates: fail closed, never a silent accept.
  // Remembered for as long as the timestamp stays acceptable; later it is refused anyway.
  const ttlMs = Math.max(1, (timestamp + maxSkewSeconds) * 1000 - nowMs);
  const fresh = await nonceStore.claim(`${consumerKey}\u0000${nonce}`, ttlMs);
  if (!fresh) return failWithBase('nonce_replayed', 'This oauth_nonce was already used: every request (and every retry) needs a fresh nonce.');

  return { ok: true, consumerKey: consumerKey!, signatureMethod, nonce, timestamp, signatureBaseString };
}

/** A request target (`/path?query`, as in `req.url`) on the expected origin; full URLs stay as they are. */
function resolveAgainst(target: string | URL, origin: string): string | URL {
  if (typeof target !== 'string' || !target.startsWith('/')) return target;
  try {
    return new URL(target, origin);
  } catch (cause) {
    throw new McapiError('ERR_OAUTH_INVALID_URL', 'The request target is not a valid path.', { cause });
  }
}

function fail(reason: OAuth1FailureReason, message: string, consumerKey?: string): VerifyOAuth1Result {
  return consumerKey === undefined ? { ok: false, reason, message } : { ok: false, reason, message, consumerKey };
}

/** The single Authorization header; undefined if absent, null if repeated. */
function authorizationHeader(headers: OAuth1Headers): string | undefined | null {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    // Headers joins repeated fields with ", ": a second OAuth header shows up as a second scheme.
    const value = headers.get('authorization');
    if (value === null) return undefined;
    return value.includes(', OAuth ') ? null : value;
  }
  if (typeof headers !== 'object' || headers === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.headers must be a Headers object or a header record.');
  }
  let found: string | undefined | null;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
    if (value === undefined) continue;
    if (found !== undefined) return null;
    if (typeof value === 'string') found = value;
    else if (value.length === 1) found = value[0]!;
    else return value.length === 0 ? found : null;
  }
  return found;
}

/**
 * Decodes oauth_signature strictly: canonical percent-encoding (uppercase hex, unreserved left
 * raw) of canonical base64, so no other spelling of the same signature is accepted.
 */
function decodeSignature(value: string): Buffer | undefined {
  if (!canonicalEncoding.test(value)) return undefined;
  let base64: string;
  try {
    base64 = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (percentEncode(base64) !== value) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.toString('base64') !== base64) return undefined;
  return bytes;
}
