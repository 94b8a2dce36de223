import { type KeyObject, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { McapiError } from '@mcapi/errors';
import forge from 'node-forge';
import type { CertificateAndKey } from './certificate-authority.js';
import { parseCsr } from './csr.js';
import { type DistinguishedName, validateDistinguishedName } from './distinguished-name.js';
import { decodeForgeAttributes, toForgeAttributes } from './forge-attributes.js';
import { fromForgeCertificate, sha256, toForgeCertificate, toForgePrivateKey, toForgePublicKey } from './forge-interop.js';
import { randomSerialNumber, validateSerialNumber } from './serial-number.js';
import { type ValidityOptions, resolveValidity } from './validity.js';

/** What a certificate is for; sets keyUsage and extendedKeyUsage. */
export type CertificateUsage = 'client' | 'server' | 'encryption';

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions extends ValidityOptions {
  /** The CA certificate and its private key (RSA). */
  issuer: CertificateAndKey;
  /** The key to certify. Give this or `csr`. */
  publicKey?: KeyObject;
  /** A PEM CSR whose (verified) public key and subject are certified. Give this or `publicKey`. */
  csr?: string;
  /** Subject of the new certificate; default the CSR's subject. Required with `publicKey`. */
  subject?: DistinguishedName;
  /**
   * `client` (clientAuth, for mTLS), `server` (serverAuth, SAN defaults to localhost and
   * 127.0.0.1) or `encryption` (keyEncipherment, no EKU: a JWE recipient certificate).
   */
  usage: CertificateUsage;
  /** DNS subjectAltNames. */
  dnsNames?: readonly string[];
  /** IP subjectAltNames (IPv4 or IPv6). */
  ipAddresses?: readonly string[];
  /** Hex serial number; default 16 random bytes. */
  serialNumber?: string;
}

const usages: readonly CertificateUsage[] = ['client', 'server', 'encryption'];

/**
 * Issues an X.509 v3 certificate signed by `issuer` with sha256WithRSAEncryption. Default
 * validity 365 days from five minutes ago.
 *
 * @throws {McapiError} `ERR_CSR_INVALID` when the CSR cannot be parsed or its signature does not verify; `ERR_KEY_MISMATCH` when the issuer's key is not its certificate's; `ERR_INVALID_OPTION` for another invalid option (usage, subject, DNS names, IP addresses); `ERR_KEY_UNSUPPORTED` when a key or the issuer certificate is not RSA.
 *
 * @example
 * ```ts
 * const ca = await createCertificateAuthority({ commonName: 'test CA' });
 * const { privateKey, publicKey } = await generateRsaKeyPair();
 * const server = issueCertificate({ issuer: ca, publicKey, subject: { CN: 'localhost' }, usage: 'server' });
 * const client = issueCertificate({ issuer: ca, csr: csrPem, usage: 'client', validityDays: 30 });
 * ```
 */
export function issueCertificate(options: IssueCertificateOptions): X509Certificate {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'issueCertificate needs { issuer, publicKey | csr, usage }.');
  }
  const { issuer } = options;
  if (typeof issuer !== 'object' || issuer === null || !(issuer.certificate instanceof X509Certificate)) {
    throw new McapiError('ERR_INVALID_OPTION', 'issuer must be { certificate: X509Certificate, privateKey: KeyObject }.');
  }
  if (!usages.includes(options.usage)) {
    throw new McapiError('ERR_INVALID_OPTION', `usage must be one of ${usages.join(', ')}.`);
  }
  if ((options.publicKey === undefined) === (options.csr === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Pass exactly one of publicKey or csr.');
  }
  let publicKey: KeyObject;
  let subject: DistinguishedName | undefined = options.subject;
  if (options.csr !== undefined) {
    const csr = parseCsr(options.csr);
    if (!csr.verified) {
      throw new McapiError('ERR_CSR_INVALID', 'The CSR signature does not verify; ask for a new CSR (it may be damaged or tampered with).');
    }
    publicKey = csr.publicKey;
    subject ??= csr.subject;
  } else {
    publicKey = options.publicKey!;
  }
  if (subject === undefined) throw new McapiError('ERR_INVALID_OPTION', 'subject is required when publicKey is given.');
  validateDistinguishedName(subject, 'subject');
  const validity = resolveValidity(options, 365);
  const issuerCertificate = toForgeCertificate(issuer.certificate, 'issuer.certificate');
  const issuerKey = toForgePrivateKey(issuer.privateKey, 'issuer.privateKey');
  if (!issuer.certificate.checkPrivateKey(issuer.privateKey)) {
    throw new McapiError('ERR_KEY_MISMATCH', 'issuer.privateKey does not belong to issuer.certificate.');
  }

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = toForgePublicKey(publicKey, options.csr === undefined ? 'publicKey' : 'the CSR key');
  certificate.serialNumber = options.serialNumber === undefined ? randomSerialNumber() : validateSerialNumber(options.serialNumber);
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  certificate.setSubject(toForgeAttributes(subject));
  certificate.setIssuer(decodeForgeAttributes(issuerCertificate.subject.attributes));
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    ...usageExtensions(options.usage),
    ...subjectAltNames(options),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyIdentifier(issuerCertificate) },
  ]);
  certificate.sign(issuerKey, sha256());
  return fromForgeCertificate(certificate);
}

function usageExtensions(usage: CertificateUsage): object[] {
  switch (usage) {
    case 'client':
      return [
        { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', clientAuth: true },
      ];
    case 'server':
      return [
        { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
      ];
    case 'encryption':
      return [{ name: 'keyUsage', critical: true, keyEncipherment: true, dataEncipherment: true }];
  }
}

function subjectAltNames(options: IssueCertificateOptions): object[] {
  const dnsNames = options.dnsNames ?? (options.usage === 'server' && options.ipAddresses === undefined ? ['localhost'] : []);
  const ipAddresses = options.ipAddresses ?? (options.usage === 'server' && options.dnsNames === undefined ? ['127.0.0.1'] : []);
  for (const name of dnsNames) {
    if (typeof name !== 'string' || !/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(name)) {
      throw new McapiError('ERR_INVALID_OPTION', `dnsNames: "${String(name)}" is not a DNS name.`);
    }
  }
  for (const ip of ipAddresses) {
    if (typeof ip !== 'string' || isIP(ip) === 0) {
      throw new McapiError('ERR_INVALID_OPTION', `ipAddresses: "${String(ip)}" is not an IPv4 or IPv6 address.`);
    }
  }
  const altNames = [...dnsNames.map((value) => ({ type: 2, value })), ...ipAddresses.map((ip) => ({ type: 7, ip }))];
  return altNames.length === 0 ? [] : [{ name: 'subjectAltName', altNames }];
}

// The issuer's own subjectKeyIdentifier when it has one (openssl-made CAs do), so chain builders
// match the authorityKeyIdentifier exactly; else the RFC 5280 §4.2.1.2 method (1) value.
function issuerKeyIdentifier(issuer: forge.pki.Certificate): string {
  const extension = issuer.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (extension?.subjectKeyIdentifier) return forge.util.hexToBytes(extension.subjectKeyIdentifier);
  return issuer.generateSubjectKeyIdentifier().getBytes();
}
