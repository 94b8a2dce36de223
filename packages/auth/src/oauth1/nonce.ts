import { randomFillSync } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 248 = 4 × 62: bytes at or above it are discarded (rejection sampling), so `byte % 62` is
// uniform. Mastercard's Node signer maps all 256 values and favours the first 8 characters.
const limit = 248;
const pool = Buffer.alloc(256);
let position = pool.length;

/**
 * 16 alphanumerics from the CSPRNG, uniformly distributed (no modulo bias): the OAuth 1.0a nonce
 * Mastercard's signers send.
 *
 * @example
 * ```ts
 * generateNonce(); // 'Wpe3LF09z1e3xQRI'
 * ```
 */
export function generateNonce(length = 16): string {
  let nonce = '';
  while (nonce.length < length) {
    if (position === pool.length) {
      randomFillSync(pool);
      position = 0;
    }
    const byte = pool[position]!;
    // Consumed bytes are never reused, accepted or not.
    pool[position] = 0;
    position += 1;
    if (byte < limit) nonce += alphabet[byte % 62]!;
  }
  return nonce;
}
