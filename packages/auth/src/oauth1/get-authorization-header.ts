import { parsePrivateKey } from '@mcapi/keys';
import type { KeyObject } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { generateNonce } from './nonce.js';
import { buildAuthorization, checkConsumerKey } from './signer.js';
import { type Signer, toSigner } from './signing-key.js';

// The migration helper takes PEM text like the npm package; parse it once per distinct key, not
// per call (a service signs with one key, so one cached entry is enough).
let cachedPem: string | undefined;
let cachedSigner: Signer | undefined;

/**
 * Drop-in replacement for `require('mastercard-oauth1-signer').getAuthorizationHeader`: same
 * arguments, synchronous, but Mastercard's reference semantics (default ports removed, duplicate
 * parameters kept, full RFC 3986 encoding, uppercase escapes). Prefer {@link createOAuth1Signer}
 * in new code: it also takes bytes bodies and HSM/KMS sign functions.
 *
 * @throws {McapiError} `ERR_OAUTH_INVALID_URL` when the URL is not absolute https (or http to a local server), or has a fragment or credentials.
 * @throws {McapiError} `ERR_OAUTH_SIGNING_FAILED` when signing failed.
 * @throws {McapiError} `ERR_INVALID_OPTION` when the consumer key or signing key is invalid.
 *
 * @example
 * ```ts
 * // before: const oauth = require('mastercard-oauth1-signer');
 * const authorization = getAuthorizationHeader(uri, 'POST', JSON.stringify(body), consumerKey, signingKeyPem);
 * ```
 */
export function getAuthorizationHeader(
  uri: string,
  method: string,
  payload: string | Uint8Array | null | undefined,
  consumerKey: string,
  signingKey: string | KeyObject,
): string {
  const key = checkConsumerKey(consumerKey, 'consumerKey');
  let signer: Signer;
  if (typeof signingKey === 'string') {
    if (signingKey !== cachedPem || cachedSigner === undefined) {
      cachedSigner = toSigner(parsePrivateKey(new TextEncoder().encode(signingKey)), 'RSA-SHA256', 'signingKey', false); // synchronous API: always inline
      cachedPem = signingKey;
    }
    signer = cachedSigner;
  } else {
    signer = toSigner(signingKey, 'RSA-SHA256', 'signingKey', false); // synchronous API: always inline
  }
  const header = buildAuthorization({ method, url: uri, body: payload }, key, 'RSA-SHA256', signer, Date.now, generateNonce);
  if (typeof header !== 'string') throw new McapiError('ERR_OAUTH_SIGNING_FAILED', 'Unexpected asynchronous signer.');
  return header;
}
