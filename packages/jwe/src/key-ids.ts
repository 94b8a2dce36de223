import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type ExternalPrivateKey, certificateFingerprint, isExternalPrivateKey, publicKeyFingerprint } from '@mcapi/keys';

/**
 * How {@link encrypt} names the recipient key in `kid`: an explicit string, or the SHA-256 of
 * the certificate DER in hex or base64 (some Mastercard integrations). Default: the public-key
 * fingerprint (lowercase hex SHA-256 of the SubjectPublicKeyInfo), Mastercard's convention.
 */
export type KidOption = 'certificate-sha256-hex' | 'certificate-sha256-base64' | (string & {});

// Fingerprints are computed once per key or certificate object.
const fingerprints = new WeakMap<KeyObject | X509Certificate | ExternalPrivateKey, string>();

/** The public-key fingerprint of a key or certificate, cached per object. */
export function cachedFingerprint(key: KeyObject | X509Certificate | ExternalPrivateKey): string {
  let kid = fingerprints.get(key);
  if (kid === undefined) {
    kid = publicKeyFingerprint(isExternalPrivateKey(key) ? key.publicKey : key);
    fingerprints.set(key, kid);
  }
  return kid;
}

const certificateKids = new WeakMap<X509Certificate, { hex: string; base64: string }>();

/** Resolves the `kid` option of {@link encrypt}. */
export function resolveKid(key: KeyObject | X509Certificate, kid: KidOption | undefined, isCertificate: boolean): string {
  if (kid === undefined) return cachedFingerprint(key);
  if (kid === 'certificate-sha256-hex' || kid === 'certificate-sha256-base64') {
    if (!isCertificate) {
      throw new McapiError('ERR_INVALID_OPTION', `options.kid "${kid}" needs options.key to be an X509Certificate.`);
    }
    const certificate = key as X509Certificate;
    let kids = certificateKids.get(certificate);
    if (kids === undefined) {
      kids = { hex: certificateFingerprint(certificate, 'hex'), base64: certificateFingerprint(certificate, 'base64') };
      certificateKids.set(certificate, kids);
    }
    return kid === 'certificate-sha256-hex' ? kids.hex : kids.base64;
  }
  if (typeof kid !== 'string' || kid === '') {
    throw new McapiError('ERR_INVALID_OPTION', 'options.kid must be a non-empty string.');
  }
  return kid;
}
