import type { KeyObject } from 'node:crypto';

/**
 * Signature algorithms an {@link ExternalPrivateKey} may offer (JOSE names): `RS256` =
 * RSASSA-PKCS1-v1_5 SHA-256 (also OAuth 1.0a `RSA-SHA256`), `PS256` = RSASSA-PSS SHA-256,
 * MGF1-SHA-256, salt 32 (also OAuth 1.0a `RSA-PSS`), `ES256` = ECDSA P-256 SHA-256 with the JOSE
 * signature encoding (r ‖ s, 64 bytes).
 */
export type ExternalSignAlgorithm = 'RS256' | 'PS256' | 'ES256';

/** Key-unwrapping algorithms: RSA-OAEP with SHA-256 for the digest and MGF1 (JWE `RSA-OAEP-256`). */
export type ExternalDecryptAlgorithm = 'RSA-OAEP-256';

/**
 * A private key that never enters the process (an HSM over PKCS#11, a cloud KMS): it performs
 * operations, and only its public half is here. Every place that takes a private `KeyObject` for
 * signing or key unwrapping also takes one of these.
 *
 * @example
 * ```ts
 * const hsm = await openPkcs11({ module: '/usr/lib/libCryptoki2_64.so', tokenLabel: 'mcapi', pinEnv: 'HSM_PIN' });
 * const signingKey: ExternalPrivateKey = await hsm.key({ label: 'oauth-signing' });
 * createOAuth1Signer({ consumerKey, signingKey });
 * ```
 */
export interface ExternalPrivateKey {
  /** Brand: tells an external key from a `KeyObject` without `instanceof` across packages. */
  readonly external: true;
  readonly publicKey: KeyObject;
  /** Where the key lives, for logs and the keyring (e.g. an RFC 7512 `pkcs11:` URI). Never secret. */
  readonly reference: string;
  sign(algorithm: ExternalSignAlgorithm, data: Uint8Array): Promise<Uint8Array>;
  /** Absent for keys that cannot unwrap (EC keys). Rejects on any failure, revealing nothing. */
  decrypt?(algorithm: ExternalDecryptAlgorithm, data: Uint8Array): Promise<Uint8Array>;
}

/** Whether `value` is an {@link ExternalPrivateKey}. */
export function isExternalPrivateKey(value: unknown): value is ExternalPrivateKey {
  const key = value as Partial<ExternalPrivateKey> | null;
  return (
    typeof value === 'object' &&
    key !== null &&
    key.external === true &&
    typeof key.sign === 'function' &&
    typeof key.publicKey === 'object' &&
    key.publicKey !== null &&
    key.publicKey.type === 'public'
  );
}
