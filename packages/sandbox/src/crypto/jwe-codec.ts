import type { KeyObject, X509Certificate } from 'node:crypto';
import { decrypt, encrypt } from '@mcapi/jwe';

// The one place the sandbox touches JWE: a thin seam over @mcapi/jwe so the gateway code does
// not depend on its option shapes.

/** Encrypts and decrypts compact JWE (RSA-OAEP-256 + A256GCM). */
export interface JweCodec {
  encrypt(plaintext: string, recipient: KeyObject | X509Certificate, kid: string): Promise<string>;
  /**
   * Decrypts with the key named by the token's `kid` (returned, for the request log); throws a
   * typed error on any failure.
   */
  decrypt(token: string, keys: ReadonlyMap<string, KeyObject>): Promise<{ plaintext: string; kid: string | undefined }>;
}

const decoder = new TextDecoder();

/** The default codec. */
export function createJweCodec(): JweCodec {
  return {
    encrypt: (plaintext, recipient, kid) => encrypt(plaintext, { key: recipient, kid }),
    async decrypt(token, keys) {
      const { plaintext, header } = await decrypt(token, { keys });
      return { plaintext: decoder.decode(plaintext), kid: typeof header.kid === 'string' ? header.kid : undefined };
    },
  };
}
