import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { publicKeyFingerprint } from './fingerprints.js';

const dayMs = 86_400_000;

/** Where a certificate stands in its validity window. */
export interface CertificateValidity {
  status: 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
  notBefore: Date;
  notAfter: Date;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
}

/** Options of {@link checkCertificateValidity}. */
export interface CheckValidityOptions {
  /** Clock, for tests. Default `Date.now()`. */
  now?: number;
  /** A certificate ending within this many days is `expiring`. Default 30. */
  warnWithinDays?: number;
}

/**
 * Classifies a certificate by its validity window.
 *
 * @example
 * ```ts
 * const { status, daysLeft } = checkCertificateValidity(certificate, { warnWithinDays: 30 });
 * if (status === 'expiring') console.warn(`renew: ${daysLeft} days left`);
 * ```
 */
export function checkCertificateValidity(
  certificate: X509Certificate,
  options: CheckValidityOptions = {},
): CertificateValidity {
  const now = options.now ?? Date.now();
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now) / dayMs);
  let status: CertificateValidity['status'] = 'valid';
  if (now < notBefore.getTime()) status = 'not-yet-valid';
  else if (now > notAfter.getTime()) status = 'expired';
  else if (notAfter.getTime() - now <= (options.warnWithinDays ?? 30) * dayMs) status = 'expiring';
  return { status, notBefore, notAfter, daysLeft };
}

/**
 * Throws `ERR_CERTIFICATE_EXPIRED` / `ERR_CERTIFICATE_NOT_YET_VALID` for a certificate outside its
 * window; returns the validity otherwise (which may be `expiring`).
 *
 * @throws {McapiError} `ERR_CERTIFICATE_EXPIRED` / `ERR_CERTIFICATE_NOT_YET_VALID` outside the certificate's validity.
 *
 * @example
 * ```ts
 * const validity = assertCertificateCurrent(clientCertificate);
 * ```
 */
export function assertCertificateCurrent(
  certificate: X509Certificate,
  options: CheckValidityOptions & {
    /** What to do about an expired certificate, in the caller's words (its command, its dashboard). */
    expiredHint?: string;
  } = {},
): CertificateValidity {
  const validity = checkCertificateValidity(certificate, options);
  const subject = certificate.subject.replace(/\n/g, ', ');
  if (validity.status === 'expired') {
    throw new McapiError(
      'ERR_CERTIFICATE_EXPIRED',
      `Certificate "${subject}" expired on ${validity.notAfter.toISOString()}. ${options.expiredHint ?? 'Replace it with a newly issued certificate.'}`,
    );
  }
  if (validity.status === 'not-yet-valid') {
    throw new McapiError(
      'ERR_CERTIFICATE_NOT_YET_VALID',
      `Certificate "${subject}" is not valid before ${validity.notBefore.toISOString()}. Check the system clock.`,
    );
  }
  return validity;
}

/**
 * Throws `ERR_KEY_MISMATCH` unless the private key belongs to the certificate. Only public
 * fingerprints appear in the message.
 *
 * @throws {McapiError} `ERR_KEY_MISMATCH` when the private key is not the certificate's.
 *
 * @example
 * ```ts
 * assertKeyMatchesCertificate(privateKey, certificate);
 * ```
 */
export function assertKeyMatchesCertificate(privateKey: KeyObject, certificate: X509Certificate): void {
  if (privateKey.type !== 'private' || !certificate.checkPrivateKey(privateKey)) {
    throw new McapiError(
      'ERR_KEY_MISMATCH',
      `The private key does not belong to certificate "${certificate.subject.replace(/\n/g, ', ')}" (certificate public key ${publicKeyFingerprint(certificate)}, key ${privateKey.type === 'private' ? publicKeyFingerprint(privateKey) : 'not a private key'}).`,
    );
  }
}
