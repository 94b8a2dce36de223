import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import forge from 'node-forge';
import { toForgeCertificate, toForgePrivateKey } from '../x509/forge-interop.js';

/** Options of {@link createPkcs12}. */
export interface CreatePkcs12Options {
  privateKey: KeyObject;
  certificate: X509Certificate;
  chain?: readonly X509Certificate[];
  /** friendlyName of the key and certificate bags: the alias Mastercard's loaders look up. */
  alias: string;
  /** Required and non-empty: Mastercard's loaders refuse unprotected keystores. */
  password: string;
  /**
   * Default false: key bag encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), which
   * OpenSSL 3 reads without `-legacy`. True: pbeWithSHAAnd3-KeyTripleDES-CBC for old consumers
   * (Java 8 before 8u301, OpenSSL 1.0).
   */
  legacy?: boolean;
}

// PBKDF2 iterations of the key bag and the MAC; above OpenSSL's 2048 default, still quick in JS.
const iterations = 10_000;

/**
 * Builds a password-protected PKCS#12 with the key in a pkcs8ShroudedKeyBag whose friendlyName
 * is the alias (mastercard-security.md §6), the certificate and its chain.
 *
 * @example
 * ```ts
 * const p12 = createPkcs12({ privateKey, certificate, alias: 'keyalias', password });
 * await writeFileAtomic('signing.p12', p12);
 * ```
 */
export function createPkcs12(options: CreatePkcs12Options): Uint8Array {
  if (typeof options.password !== 'string' || options.password === '') {
    throw new McapiError('ERR_KEY_PASSPHRASE', 'A PKCS#12 must be password-protected: give a non-empty password.');
  }
  if (typeof options.alias !== 'string' || options.alias === '') throw new McapiError('ERR_INVALID_OPTION', 'alias must be a non-empty string.');
  if (!options.certificate.checkPrivateKey(options.privateKey)) {
    throw new McapiError('ERR_KEY_MISMATCH', 'The private key does not belong to the certificate.');
  }
  const certificates = [options.certificate, ...(options.chain ?? [])].map((certificate) => toForgeCertificate(certificate, 'certificate'));
  const asn1 = forge.pkcs12.toPkcs12Asn1(toForgePrivateKey(options.privateKey, 'privateKey'), certificates, options.password, {
    algorithm: options.legacy === true ? '3des' : 'aes256',
    friendlyName: options.alias,
    count: iterations,
    saltSize: 16,
    // Passed through to the PBES2 parameters of the key bag (forge's default PRF is SHA-1).
    ...(options.legacy !== true && { prfAlgorithm: 'sha256' }),
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
