import { X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type KeySource, isPem, readSource } from './key-source.js';

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Loads one X.509 certificate (PEM or DER). With a PEM bundle, the first certificate.
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the source cannot be read or holds no PEM/DER certificate.
 * @throws {McapiError} `ERR_INVALID_OPTION` when `source` is not a path, PEM text or bytes.
 *
 * @example
 * ```ts
 * const encryptionCertificate = await loadCertificate({ path: './mastercard-encryption.pem' });
 * ```
 */
export async function loadCertificate(source: KeySource): Promise<X509Certificate> {
  const { bytes } = await readSource(source, 'certificate');
  const [first] = parseCertificates(bytes);
  return first!;
}

/**
 * Loads every certificate of a PEM bundle (or the single certificate of a DER file), in file order.
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the source cannot be read or holds no PEM/DER certificate; `ERR_INVALID_OPTION` when `source` is not a path, PEM text, bytes or `{ env }`.
 *
 * @example
 * ```ts
 * const [leaf, ...intermediates] = await loadCertificateChain({ path: './chain.pem' });
 * ```
 */
export async function loadCertificateChain(source: KeySource): Promise<X509Certificate[]> {
  const { bytes } = await readSource(source, 'certificate chain');
  return parseCertificates(bytes);
}

/** Synchronous core of the certificate loaders: every certificate in PEM text or one DER blob.
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the bytes hold no PEM CERTIFICATE block and are not one DER certificate.
 */
export function parseCertificates(bytes: Uint8Array): [X509Certificate, ...X509Certificate[]] {
  try {
    if (isPem(bytes)) {
      const blocks = Buffer.from(bytes).toString('utf8').match(certificateBlock) ?? [];
      if (blocks.length === 0) throw new McapiError('ERR_KEY_FORMAT', 'The PEM text holds no CERTIFICATE block.');
      return blocks.map((block) => new X509Certificate(block)) as [X509Certificate, ...X509Certificate[]];
    }
    return [new X509Certificate(Buffer.from(bytes))];
  } catch (cause) {
    if (cause instanceof McapiError) throw cause;
    throw new McapiError('ERR_KEY_FORMAT', 'The data is not an X.509 certificate (PEM or DER).', { cause });
  }
}
