import type { KeyObject, X509Certificate } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';

// The one place the sandbox touches JWE. It is a thin seam over the JWE library so the gateway
// code does not depend on its option shapes.

/** Encrypts and decrypts compact JWE (RSA-OAEP-256 + A256GCM). */
export interface JweCodec {
  encrypt(plaintext: string, recipient: KeyObject | X509Certificate, kid: string): Promise<string>;
  /** Decrypts with the key named by the token's `kid`; throws on any failure. */
  decrypt(token: string, keys: ReadonlyMap<string, KeyObject>): Promise<string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The default codec. */
export function createJweCodec(): JweCodec {
  return {
    async encrypt(plaintext, recipient, kid) {
      const key = 'publicKey' in recipient ? recipient.publicKey : recipient;
      return new CompactEncrypt(encoder.encode(plaintext))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, cty: 'application/json' })
        .encrypt(key);
    },
    async decrypt(token, keys) {
      const { kid } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? keys.get(kid) : undefined;
      if (!key) throw new Error('unknown kid');
      const { plaintext } = await compactDecrypt(token, key, {
        keyManagementAlgorithms: ['RSA-OAEP-256'],
        contentEncryptionAlgorithms: ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256'],
      });
      return decoder.decode(plaintext);
    },
  };
}
