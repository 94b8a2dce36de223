import type { KeyObject } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type ExternalPrivateKey, isExternalPrivateKey } from '@mcapi/keys';
import forge from 'node-forge';
import { type DistinguishedName, formatDistinguishedName, validateDistinguishedName } from './distinguished-name.js';
import { fromForgeAttributes, toForgeAttributes } from './forge-attributes.js';
import { fromForgePublicKey, sha256, toForgePrivateKey, toForgePublicKey } from './forge-interop.js';

/** Options of {@link createCsr}. */
export interface CreateCsrOptions {
  /** The RSA private key the CSR is for; it signs the request (proof of possession). */
  privateKey: KeyObject;
  /** The subject Mastercard will put in the certificate; CN is required. */
  subject: DistinguishedName;
}

/**
 * Creates a PKCS#10 certificate signing request, signed with sha256WithRSAEncryption (always:
 * Mastercard rejects SHA-1, forge's default, and SHA-384, Java keytool's default for big keys).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the subject or the key is missing or invalid; `ERR_KEY_UNSUPPORTED` when the key is not RSA.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateRsaKeyPair(2048);
 * const pem = createCsr({ privateKey, subject: { CN: 'payments-prod', O: 'Example Ltd', C: 'GB' } });
 * ```
 */
export function createCsr(options: CreateCsrOptions): string {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createCsr needs { privateKey, subject }.');
  }
  const subject = validateDistinguishedName(options.subject, 'subject');
  const privateKey = toForgePrivateKey(options.privateKey, 'privateKey');
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = toForgePublicKey(options.privateKey, 'privateKey');
  csr.setSubject(toForgeAttributes(subject));
  csr.sign(privateKey, sha256());
  return forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n');
}

/** What {@link parseCsr} reads from a CSR. */
export interface ParsedCsr {
  /** The supported subject attributes (CN, O, OU, C, L, ST). */
  subject: DistinguishedName;
  /** The subject as RFC 4514 text, most specific first (`CN=…,O=…`). */
  subjectText: string;
  /** The public key the certificate will carry. */
  publicKey: KeyObject;
  /** True when the CSR's self-signature verifies with its own public key. */
  verified: boolean;
  /** Signature algorithm name, e.g. `sha256WithRSAEncryption`. */
  signatureAlgorithm: string;
}

/**
 * Parses a PEM PKCS#10 CSR (RSA) and verifies its self-signature.
 *
 * @example
 * ```ts
 * const { subject, publicKey, verified } = parseCsr(readFileSync('request.csr.pem', 'utf8'));
 * if (!verified) throw new Error('tampered CSR');
 * ```
 */
export function parseCsr(pem: string): ParsedCsr {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw new McapiError('ERR_CSR_INVALID', 'The data is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----).');
  }
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(pem);
  } catch (cause) {
    throw new McapiError('ERR_CSR_INVALID', 'The certificate request could not be parsed; only complete RSA PKCS#10 requests are read.', {
      cause,
    });
  }
  if (csr.publicKey === null) throw new McapiError('ERR_CSR_INVALID', 'The certificate request carries no public key.');
  let verified: boolean;
  try {
    verified = csr.verify();
  } catch {
    // forge throws for signature algorithms it does not know: not verifiable is not verified.
    verified = false;
  }
  const subject = fromForgeAttributes(csr.subject.attributes);
  const oids = forge.pki.oids as Record<string, string | undefined>;
  return {
    subject,
    subjectText: formatDistinguishedName(subject),
    publicKey: fromForgePublicKey(csr.publicKey),
    verified,
    signatureAlgorithm: (csr.signatureOid !== null && oids[csr.signatureOid]) || String(csr.signatureOid),
  };
}

/** Options of {@link createCsrWithExternalKey}. */
export interface CreateExternalCsrOptions {
  /** An RSA key held by an HSM (`openPkcs11` from `@mcapi/pkcs11`): it signs the request inside the token. */
  privateKey: ExternalPrivateKey;
  subject: DistinguishedName;
}

/**
 * Creates the same PKCS#10 request as {@link createCsr} for a key that never leaves its HSM:
 * forge builds the CertificationRequestInfo, the token signs its DER with RSASSA-PKCS1-v1_5
 * SHA-256 (sha256WithRSAEncryption), and forge encodes the result.
 *
 * @example
 * ```ts
 * const key = await hsm.generateKeyPair({ label: 'mc-mtls-2026' });
 * const pem = await createCsrWithExternalKey({ privateKey: key, subject: { CN: 'payments-prod', O: 'Example Ltd' } });
 * ```
 */
export async function createCsrWithExternalKey(options: CreateExternalCsrOptions): Promise<string> {
  if (typeof options !== 'object' || options === null || !isExternalPrivateKey(options.privateKey)) {
    throw new McapiError('ERR_INVALID_OPTION', 'createCsrWithExternalKey needs { privateKey: an HSM key, subject }.');
  }
  const subject = validateDistinguishedName(options.subject, 'subject');
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = toForgePublicKey(options.privateKey.publicKey, 'privateKey.publicKey');
  csr.setSubject(toForgeAttributes(subject));
  const oids = forge.pki.oids as Record<string, string>;
  csr.signatureOid = oids.sha256WithRSAEncryption!;
  (csr as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = csr.signatureOid;
  // Not in forge's type definitions, but public: what csr.sign itself signs.
  const info = (forge.pki as unknown as { getCertificationRequestInfo(request: unknown): forge.asn1.Asn1 }).getCertificationRequestInfo(csr);
  (csr as unknown as { certificationRequestInfo: unknown }).certificationRequestInfo = info;
  const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
  const signature = await options.privateKey.sign('RS256', der);
  csr.signature = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('binary');
  return forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n');
}
