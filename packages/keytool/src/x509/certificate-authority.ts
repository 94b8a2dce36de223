import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import forge from 'node-forge';
import { validateDistinguishedName } from './distinguished-name.js';
import { toForgeAttributes } from './forge-attributes.js';
import { fromForgeCertificate, sha256, toForgePrivateKey, toForgePublicKey } from './forge-interop.js';
import { generateRsaKeyPair } from './generate-key-pair.js';
import { randomSerialNumber } from './serial-number.js';
import { resolveValidity } from './validity.js';

/** Options of {@link createCertificateAuthority}. */
export interface CreateCertificateAuthorityOptions {
  /** CN of the CA certificate, e.g. `mcapi sandbox CA`. */
  commonName: string;
  /** Organisation in the CA subject. */
  organization?: string;
  /** Default 3650 (ten years). */
  validityDays?: number;
  /** RSA key size. Default 2048. */
  keySize?: 2048 | 3072 | 4096;
}

/** A certificate and its private key, e.g. the issuer of {@link issueCertificate}. */
export interface CertificateAndKey {
  certificate: X509Certificate;
  privateKey: KeyObject;
}

/**
 * Creates a self-signed root CA (basicConstraints CA:TRUE critical; keyUsage keyCertSign and
 * cRLSign), with a fresh native RSA key. For local test CAs: the sandbox and TLS tests.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when `commonName` (or `organization`) is missing or not 1 to 64 characters.
 *
 * @example
 * ```ts
 * const ca = await createCertificateAuthority({ commonName: 'mcapi test CA' });
 * const server = issueCertificate({ issuer: ca, publicKey, usage: 'server' });
 * ```
 */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions): Promise<CertificateAndKey> {
  if (typeof options !== 'object' || options === null || typeof options.commonName !== 'string') {
    throw new McapiError('ERR_INVALID_OPTION', 'createCertificateAuthority needs { commonName }.');
  }
  if (options.commonName.trim() === '' || [...options.commonName].length > 64) {
    throw new McapiError('ERR_INVALID_OPTION', 'commonName must be 1 to 64 characters.');
  }
  if (options.organization !== undefined && (typeof options.organization !== 'string' || options.organization.trim() === '' || [...options.organization].length > 64)) {
    throw new McapiError('ERR_INVALID_OPTION', 'organization must be 1 to 64 characters when given.');
  }
  const subject = validateDistinguishedName(
    { CN: options.commonName, ...(options.organization !== undefined && { O: options.organization }) },
    'subject',
  );
  const validity = resolveValidity(
    options.validityDays === undefined ? {} : { validityDays: options.validityDays },
    3650,
  );
  const { privateKey } = await generateRsaKeyPair(options.keySize ?? 2048);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = toForgePublicKey(privateKey, 'privateKey');
  certificate.serialNumber = randomSerialNumber();
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  const attributes = toForgeAttributes(subject);
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
  ]);
  certificate.sign(toForgePrivateKey(privateKey, 'privateKey'), sha256());
  return { certificate: fromForgeCertificate(certificate), privateKey };
}
