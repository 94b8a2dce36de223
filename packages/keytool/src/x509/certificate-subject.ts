import type { X509Certificate } from 'node:crypto';
import type { DistinguishedName } from './distinguished-name.js';
import { fromForgeAttributes } from './forge-attributes.js';
import { toForgeCertificate } from './forge-interop.js';

/**
 * The supported subject attributes (CN, O, OU, C, L, ST) of a certificate, e.g. to request its
 * successor with the same subject.
 *
 * @example
 * ```ts
 * const subject = certificateSubject(activeCertificate); // { CN: 'payments', O: 'Example Ltd' }
 * ```
 */
export function certificateSubject(certificate: X509Certificate): DistinguishedName {
  return fromForgeAttributes(toForgeCertificate(certificate, 'certificate').subject.attributes);
}
