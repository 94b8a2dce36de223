import type { KeyObject, X509Certificate } from 'node:crypto';
import { certificateFingerprint, jwkThumbprint, publicKeyFingerprint } from '@mcapi/keys';
import type { Material } from './read-material.js';

/** Public facts of a certificate, for inspect. */
export interface CertificateDescription {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Lowercase hex SHA-256 of the DER. */
  fingerprint: string;
  subjectAltName?: string;
}

/** Public facts of a key, for inspect. */
export interface PublicKeyDescription {
  type: string;
  /** RSA modulus bits or EC curve. */
  size?: number;
  curve?: string;
  /** Mastercard's fingerprint: hex SHA-256 of the SubjectPublicKeyInfo. */
  publicKeyFingerprint: string;
  /** RFC 7638 thumbprint. */
  jwkThumbprint: string;
}

export function describeCertificate(certificate: X509Certificate): CertificateDescription {
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    serialNumber: certificate.serialNumber,
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    fingerprint: certificateFingerprint(certificate),
    ...(certificate.subjectAltName !== undefined && { subjectAltName: certificate.subjectAltName }),
  };
}

export function describePublicKey(publicKey: KeyObject): PublicKeyDescription {
  const details = publicKey.asymmetricKeyDetails;
  return {
    type: publicKey.asymmetricKeyType ?? 'unknown',
    ...(details?.modulusLength !== undefined && { size: details.modulusLength }),
    ...(details?.namedCurve !== undefined && { curve: details.namedCurve }),
    publicKeyFingerprint: publicKeyFingerprint(publicKey),
    jwkThumbprint: jwkThumbprint(publicKey),
  };
}

/** Everything inspect shows about a file. */
export interface MaterialDescription {
  kind: Material['kind'];
  key: PublicKeyDescription;
  certificate?: CertificateDescription;
  chain: CertificateDescription[];
  csr?: { subject: string; verified: boolean; signatureAlgorithm: string };
  alias?: string;
}

export function describeMaterial(material: Material): MaterialDescription {
  return {
    kind: material.kind,
    key: describePublicKey(material.publicKey),
    ...(material.certificate && { certificate: describeCertificate(material.certificate) }),
    chain: material.chain.map(describeCertificate),
    ...(material.csr && {
      csr: { subject: material.csr.subjectText, verified: material.csr.verified, signatureAlgorithm: material.csr.signatureAlgorithm },
    }),
    ...(material.alias !== undefined && { alias: material.alias }),
  };
}

// Node separates DN attributes with newlines, most general first; show them as one line.
const oneLine = (dn: string): string => dn.split('\n').reverse().join(', ');
