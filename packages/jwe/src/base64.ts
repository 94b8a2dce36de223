import { McapiError } from '@mcapi/errors';
import { isLatin1 } from './latin1.js';

// A JWE part may arrive as base64url (RFC 7515 §2), as standard base64 with `+`, `/` and `=`
// padding, or in the mix Mastercard's Node library emits (`-` for `+` but `/` left as is). All
// decode to the same bytes; anything else (whitespace, `.`, unicode) is malformed.
const partPattern = /^[A-Za-z0-9_\-+/]*={0,2}$/;

/** Standard base64url without padding (RFC 7515 §2), what {@link encrypt} emits. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes one JWE part, accepting both alphabets and optional padding, but only the canonical
 * encoding of the bytes: Node's decoder ignores stray characters and non-zero trailing bits, so
 * without this check two different strings would decode to the same bytes (malleable tokens).
 */
export function decodePart(part: string, what: string): Buffer {
  // Node's decoder accepts both alphabets and drops any other one-byte character, and a dropped
  // character makes the decoded length come out short, which the length check below refuses; so
  // a part held in a one-byte string needs no alphabet check, the bulk of decrypting a 1 MB
  // token. A two-byte string must take the regex: the decoder reads only the low byte of a
  // UTF-16 unit, so "\u0152" would decode as "R". isLatin1 costs nothing on a one-byte string
  // and is only a scan otherwise, where the regex scans anyway.
  if (!isLatin1(part) && !partPattern.test(part)) {
    throw new McapiError('ERR_JWE_MALFORMED', `The JWE ${what} is not base64url: check the token was not altered in transit.`);
  }
  const unpadded = part.endsWith('=') ? part.replace(/=+$/, '') : part;
  if (part.length !== unpadded.length && part.length % 4 !== 0) {
    throw new McapiError('ERR_JWE_MALFORMED', `The JWE ${what} has wrong base64 padding.`);
  }
  if (unpadded.length % 4 === 1) {
    throw new McapiError('ERR_JWE_MALFORMED', `The JWE ${what} has an impossible base64 length.`);
  }
  const bytes = Buffer.from(unpadded, 'base64url');
  // Canonical check: with the alphabet already validated, only the last, partial 4-character
  // group can carry non-zero unused bits; re-encode just that group and compare (aliases aside).
  const partial = unpadded.length % 4;
  if (bytes.length !== Math.floor((unpadded.length * 3) / 4)) {
    throw new McapiError('ERR_JWE_MALFORMED', `The JWE ${what} is not canonical base64url.`);
  }
  if (partial !== 0) {
    const tail = bytes.subarray(bytes.length - (partial - 1)).toString('base64url');
    const written = unpadded.slice(-partial).replace(/\+/g, '-').replace(/\//g, '_');
    if (tail !== written) throw new McapiError('ERR_JWE_MALFORMED', `The JWE ${what} is not canonical base64url.`);
  }
  return bytes;
}

/**
 * A token must use one alphabet per character pair: `+` with `-`, or `/` with `_`, never occur
 * together (no encoder produces both), which keeps alias characters from making a second valid
 * spelling of the same token.
 */
export function assertOneAlphabet(token: string): void {
  if ((token.includes('+') && token.includes('-')) || (token.includes('/') && token.includes('_'))) {
    throw new McapiError(
      'ERR_JWE_MALFORMED',
      'The JWE mixes the base64 and base64url alphabets (both "+" and "-", or "/" and "_"); it was altered.',
    );
  }
}
