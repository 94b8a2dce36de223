import type { KeyObject, X509Certificate } from 'node:crypto';
import { type DecryptionKey, decrypt, encrypt, type KidOption } from '@mcapi/jwe';
import { lastDerived } from '../config/last-derived.js';

/** Encrypts request text to Mastercard's key and decrypts response JWEs with our keys. */
export interface PayloadCrypto {
  encrypt(plaintext: string): Promise<string>;
  /** The plaintext and the `kid` of the key that decrypted it. */
  decrypt(token: string): Promise<{ plaintext: string; kid: string | undefined }>;
}

/** Options of {@link createPayloadCrypto}. */
export interface PayloadCryptoOptions {
  /**
   * Mastercard's request-encryption certificate (or its public key). A function is called for
   * every request (e.g. `() => keyring.active('request-encryption', 'sandbox').certificate!`), so a
   * certificate renewed in the keyring reaches the next request; it should return the same object
   * until the key changes.
   */
  encryptionKey: KeyObject | X509Certificate | (() => KeyObject | X509Certificate);
  /** `kid` for requests; default the public-key fingerprint (see `@mcapi/jwe`). */
  kid?: KidOption;
  /**
   * Our response-decryption keys, by kid. A function is called for every response, so a keyring
   * `reload()` after a rotation is picked up without rebuilding the client.
   */
  decryptionKeys: DecryptionKey | ReadonlyMap<string, DecryptionKey> | (() => ReadonlyMap<string, DecryptionKey>);
}

const decoder = new TextDecoder();

/**
 * JWE (RSA-OAEP-256 + A256GCM) through `@mcapi/jwe`, the whole body as one token.
 *
 * @throws {McapiError} when (`encrypt`) the key is not an RSA public key or certificate: `ERR_INVALID_OPTION`; (`decrypt`) `@mcapi/jwe`'s codes: `ERR_JWE_MALFORMED`, `ERR_JWE_UNKNOWN_KID`, `ERR_JWE_UNSUPPORTED`, `ERR_JWE_DECRYPTION_FAILED` (one uniform error for every cryptographic failure).
 *
 * @example
 * ```ts
 * const crypto = createPayloadCrypto({ encryptionKey: certificate, decryptionKeys: () => keyring.decryptionKeys('sandbox') });
 * ```
 */
export function createPayloadCrypto(options: PayloadCryptoOptions): PayloadCrypto {
  const { encryptionKey, kid, decryptionKeys } = options;
  const optionsFor = lastDerived((key: KeyObject | X509Certificate) => (kid === undefined ? { key } : { key, kid }));
  const currentKey = typeof encryptionKey === 'function' ? encryptionKey : () => encryptionKey;
  return {
    // A throwing key function (no active key left) rejects the call: nothing is sent unencrypted.
    encrypt: async (plaintext) => encrypt(plaintext, optionsFor(currentKey())),
    async decrypt(token) {
      const keys = typeof decryptionKeys === 'function' ? decryptionKeys() : decryptionKeys;
      const { plaintext, header } = await decrypt(token, { keys });
      return { plaintext: decoder.decode(plaintext), kid: typeof header.kid === 'string' ? header.kid : undefined };
    },
  };
}
