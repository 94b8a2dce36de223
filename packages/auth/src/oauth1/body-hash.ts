import { createHash } from 'node:crypto';
import { McapiError } from '@mcapi/errors';

/** A request body as sent: text (sent as UTF-8) or the exact bytes. */
export type OAuth1Body = string | Uint8Array;

/**
 * `oauth_body_hash`: base64 SHA-256 of the exact body bytes sent (strings as UTF-8). A missing or
 * empty body hashes the empty string, so a GET carries `47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`.
 * Hash the bytes on the wire: after JSON serialization and after JWE encryption.
 *
 * @example
 * ```ts
 * bodyHash('{}');      // 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o='
 * bodyHash(undefined); // '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
 * ```
 */
export function bodyHash(body?: OAuth1Body | null): string {
  const hash = createHash('sha256');
  if (typeof body === 'string' || body instanceof Uint8Array) hash.update(body);
  else if (body !== undefined && body !== null) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'The body to sign must be a string or a Uint8Array (the exact bytes sent); serialize streams and form data first.',
    );
  }
  return hash.digest('base64');
}
