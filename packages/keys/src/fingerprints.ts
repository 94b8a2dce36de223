import { type KeyObject, X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';

/** A key or a certificate; private keys are reduced to their public half. */
export type KeyOrCertificate = KeyObject | X509Certificate;

/**
 * The public key of a key or certificate as a `KeyObject`.
 *
 * @throws {McapiError} `ERR_KEY_UNSUPPORTED` for a secret (symmetric) key.
 *
 * @example
 * ```ts
 * const publicKey = toPublicKey(await loadCertificate({ path: 'mc.pem' }));
 * ```
 */
export function toPublicKey(keyOrCertificate: KeyOrCertificate): KeyObject {
  if (keyOrCertificate instanceof X509Certificate) return keyOrCertificate.publicKey;
  if (keyOrCertificate.type === 'public') return keyOrCertificate;
  if (keyOrCertificate.type === 'private') return createPublicKey(keyOrCertificate);
  throw new McapiError('ERR_KEY_UNSUPPORTED', 'A secret (symmetric) key has no public-key fingerprint.');
}

/** How a SHA-256 fingerprint is written: lowercase hex (Mastercard's default), base64, base64url. */
export type FingerprintEncoding = 'hex' | 'base64' | 'base64url';

/**
 * SHA-256 of the SubjectPublicKeyInfo DER: Mastercard's "public key fingerprint", the default JWE
 * `kid` and what the dashboard shows next to a key (lowercase hex by default).
 *
 * @example
 * ```ts
 * publicKeyFingerprint(certificate); // '761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79'
 * ```
 */
export function publicKeyFingerprint(keyOrCertificate: KeyOrCertificate, encoding: FingerprintEncoding = 'hex'): string {
  const spki = toPublicKey(keyOrCertificate).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest(encoding);
}

/**
 * SHA-256 of the certificate DER: in hex or base64, the `kid` some integrations use; in base64url,
 * the JOSE `x5t#S256` header (RFC 7515 §4.1.8).
 *
 * @example
 * ```ts
 * certificateFingerprint(certificate, 'base64');
 * ```
 */
export function certificateFingerprint(certificate: X509Certificate, encoding: FingerprintEncoding = 'hex'): string {
  return createHash('sha256').update(certificate.raw).digest(encoding);
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key: the required members in
 * lexicographic order, no whitespace.
 *
 * @throws {McapiError} `ERR_KEY_UNSUPPORTED` for a key type without RFC 7638 members (not RSA, EC or OKP).
 *
 * @example
 * ```ts
 * jwkThumbprint(dpopKey); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 */
export function jwkThumbprint(keyOrCertificate: KeyOrCertificate): string {
  const jwk = toPublicKey(keyOrCertificate).export({ format: 'jwk' });
  let members: Record<string, unknown>;
  switch (jwk.kty) {
    case 'RSA':
      members = { e: jwk.e, kty: jwk.kty, n: jwk.n };
      break;
    case 'EC':
      members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
      break;
    case 'OKP':
      members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
      break;
    default:
      throw new McapiError('ERR_KEY_UNSUPPORTED', `No RFC 7638 thumbprint for key type ${String(jwk.kty)}.`);
  }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
