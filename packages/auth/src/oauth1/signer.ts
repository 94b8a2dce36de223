import { McapiError } from '@mcapi/errors';
import { baseStringOf } from './base-string.js';
import { type OAuth1Body, bodyHash } from './body-hash.js';
import { generateNonce } from './nonce.js';
import { queryParameters } from './parameters.js';
import { percentEncode } from './percent-encode.js';
import { parseRequestUrl } from './request-url.js';
import { type OAuth1SignatureMethod, type OAuth1SigningKey, type Signer, checkSignatureMethod, toSigner } from './signing-key.js';

/** Options of {@link createOAuth1Signer}. */
export interface OAuth1SignerOptions {
  /** The consumer key shown on the Mastercard Developers dashboard (it contains a `!`). */
  consumerKey: string;
  /** The project's RSA private key as a `KeyObject`, or a sign function for an HSM or KMS. */
  signingKey: OAuth1SigningKey;
  /** `RSA-SHA256` (PKCS#1 v1.5, default) or `RSA-PSS` (SHA-256, MGF1-SHA-256, salt 32). */
  signatureMethod?: OAuth1SignatureMethod;
  /** Clock in milliseconds since the epoch. Default `Date.now`; inject for tests. */
  now?: () => number;
  /** Nonce source. Default: 16 CSPRNG alphanumerics; inject for tests. */
  nonce?: () => string;
  /**
   * Where a `KeyObject` signature runs. `'auto'` (default): a lone signature runs inline on the
   * event loop (a thread hop costs more than it frees), signatures that overlap run on libuv's
   * thread pool, in parallel and off the event loop. `true`: always the pool; `false`: always
   * inline. Measured in `bench/suites/oauth1.ts`.
   */
  offloadSigning?: boolean | 'auto';
}

/** The request to sign: the exact method, URL and body bytes that will be sent. */
export interface OAuth1Request {
  method: string;
  url: string | URL;
  /** The body as sent (after serialization and encryption); absent for GET. */
  body?: OAuth1Body | null | undefined;
}

/** Signs requests; one instance per consumer key, reused for every request. */
export interface OAuth1Signer {
  /** The complete `Authorization` header value, with a fresh nonce and timestamp. */
  authorize(request: OAuth1Request): Promise<string>;
}

// RFC 9110 §5.6.2 token: an HTTP method name.
const methodToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values are sent raw (the gateway reads them literally), so they must stay inside the
// quotes: visible ASCII without `"` and `\`.
const headerSafe = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Creates a Mastercard OAuth 1.0a signer: `oauth_body_hash` over the exact body bytes, RFC 3986
 * base string with Mastercard's normalization (Java signer semantics), RSA-SHA256 or RSA-PSS.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the consumer key, signing key or another option is invalid (at construction).
 * @throws {McapiError} `ERR_OAUTH_INVALID_URL` when (`authorize`) the request URL is not absolute https (or http to a local server), or has a fragment or credentials.
 * @throws {McapiError} `ERR_OAUTH_SIGNING_FAILED` when (`authorize`) a `sign` function failed or gave no signature.
 *
 * @example
 * ```ts
 * const signingKey = await loadPrivateKey({ path: 'signing.p12' }, { passphrase, alias: 'keyalias' });
 * const signer = createOAuth1Signer({ consumerKey, signingKey });
 * const body = JSON.stringify(payload);
 * const authorization = await signer.authorize({ method: 'POST', url, body });
 * await fetch(url, { method: 'POST', body, headers: { authorization, 'content-type': 'application/json' } });
 * ```
 */
export function createOAuth1Signer(options: OAuth1SignerOptions): OAuth1Signer {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createOAuth1Signer needs options { consumerKey, signingKey }.');
  }
  const consumerKey = checkConsumerKey(options.consumerKey, 'options.consumerKey');
  const signatureMethod = checkSignatureMethod(options.signatureMethod);
  if (options.offloadSigning !== undefined && typeof options.offloadSigning !== 'boolean' && options.offloadSigning !== 'auto') {
    throw new McapiError('ERR_INVALID_OPTION', "options.offloadSigning must be true, false or 'auto'.");
  }
  const signer = toSigner(options.signingKey, signatureMethod, 'options.signingKey', options.offloadSigning ?? 'auto');
  const now = checkFunction(options.now, 'options.now') ?? Date.now;
  const nonce = checkFunction(options.nonce, 'options.nonce') ?? generateNonce;

  return {
    async authorize(request) {
      return buildAuthorization(request, consumerKey, signatureMethod, signer, now, nonce);
    },
  };
}

/** Shared by the signer and the synchronous migration helper. */
export function buildAuthorization(
  request: OAuth1Request,
  consumerKey: string,
  signatureMethod: OAuth1SignatureMethod,
  signer: Signer,
  now: () => number,
  nonce: () => string,
): string | Promise<string> {
  if (typeof request !== 'object' || request === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'authorize needs a request { method, url, body? }.');
  }
  const method = request.method;
  if (typeof method !== 'string' || !methodToken.test(method)) {
    throw new McapiError('ERR_INVALID_OPTION', 'request.method must be an HTTP method name such as GET or POST.');
  }
  const url = parseRequestUrl(request.url);
  const oauthNonce = nonce();
  if (typeof oauthNonce !== 'string' || !headerSafe.test(oauthNonce)) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.nonce must return a non-empty string of visible ASCII characters (no quotes).');
  }
  const millis = now();
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 0) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.now must return milliseconds since the epoch.');
  }
  const timestamp = String(Math.floor(millis / 1000));
  const hash = bodyHash(request.body);

  const pairs = queryParameters(url.search);
  pairs.push(
    ['oauth_body_hash', hash],
    ['oauth_consumer_key', consumerKey],
    ['oauth_nonce', oauthNonce],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', timestamp],
    ['oauth_version', '1.0'],
  );
  const baseString = baseStringOf(method, url, pairs);
  // Values are written raw; only the signature is percent-encoded (what the gateway expects).
  const head = `OAuth oauth_consumer_key="${consumerKey}",oauth_nonce="${oauthNonce}",oauth_signature_method="${signatureMethod}",oauth_timestamp="${timestamp}",oauth_version="1.0",oauth_body_hash="${hash}",oauth_signature="`;
  const signature = signer(Buffer.from(baseString, 'utf8'));
  if (signature instanceof Uint8Array) return `${head}${encodeSignature(signature)}"`;
  return signature.then((bytes) => `${head}${encodeSignature(bytes)}"`);
}

function encodeSignature(signature: Uint8Array): string {
  const base64 = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64');
  return percentEncode(base64);
}

export function checkConsumerKey(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new McapiError('ERR_INVALID_OPTION', `${option} is empty: copy the consumer key from your project on Mastercard Developers.`);
  }
  if (!headerSafe.test(value)) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${option} contains whitespace, quotes, backslashes or non-ASCII characters; copy the consumer key exactly as the dashboard shows it.`,
    );
  }
  return value;
}

function checkFunction<T>(value: T | undefined, option: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new McapiError('ERR_INVALID_OPTION', `${option} must be a function.`);
  return value;
}
