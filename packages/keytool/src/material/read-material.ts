import { type KeyObject, type X509Certificate, createPublicKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { isPkcs12, parseCertificates, parsePkcs12, parsePrivateKey, readSource, toPublicKey } from '@mcapi/keys';
import { type ParsedCsr, parseCsr } from '../x509/csr.js';

/** What a file given to inspect or fingerprint turned out to hold. */
export interface Material {
  kind: 'certificate' | 'csr' | 'private-key' | 'public-key' | 'pkcs12';
  publicKey: KeyObject;
  /** Leaf certificate (certificate files and PKCS#12). */
  certificate?: X509Certificate;
  chain: X509Certificate[];
  csr?: ParsedCsr;
  /** PKCS#12 friendlyName. */
  alias?: string;
}

/** Options for encrypted inputs. */
export interface ReadMaterialOptions {
  /** Password of a PKCS#12 or encrypted private key file. */
  passphrase?: string;
  alias?: string;
}

/**
 * Reads a certificate, CSR, public key, private key or PKCS#12 file, deciding by content (PEM
 * labels; DER tried as certificate, then key, then PKCS#12). Key parsing itself is `@mcapi/keys`'.
 */
export async function readMaterial(path: string, options: ReadMaterialOptions = {}): Promise<Material> {
  const bytes = Buffer.from((await readSource({ path }, 'input')).bytes);
  const text = bytes.subarray(0, 65_536).toString('latin1');
  if (text.includes('-----BEGIN')) {
    if (text.includes('-----BEGIN CERTIFICATE REQUEST-----') || text.includes('-----BEGIN NEW CERTIFICATE REQUEST-----')) {
      const csr = parseCsr(bytes.toString('utf8').replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
      return { kind: 'csr', publicKey: csr.publicKey, chain: [], csr };
    }
    if (text.includes('-----BEGIN CERTIFICATE-----')) return fromCertificates(parseCertificates(bytes));
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      return { kind: 'private-key', publicKey: toPublicKey(parseKey(bytes, options)), chain: [] };
    }
    if (text.includes('-----BEGIN PUBLIC KEY-----') || text.includes('-----BEGIN RSA PUBLIC KEY-----')) {
      return { kind: 'public-key', publicKey: createPublicKey(bytes), chain: [] };
    }
    throw new McapiError('ERR_KEY_FORMAT', `${path} holds no certificate, CSR or key PEM block.`);
  }
  try {
    return fromCertificates(parseCertificates(bytes));
  } catch {
    // not a DER certificate; try the other DER forms
  }
  if (isPkcs12(bytes)) {
    if (options.passphrase === undefined) {
      throw new McapiError('ERR_KEY_PASSPHRASE', `${path} is PKCS#12: give its password (prompt, --p12-passphrase-file or --p12-passphrase-env).`);
    }
    const contents = parsePkcs12(bytes, { passphrase: options.passphrase, ...(options.alias !== undefined && { alias: options.alias }) });
    return {
      kind: 'pkcs12',
      publicKey: toPublicKey(contents.privateKey),
      certificate: contents.certificate,
      chain: contents.chain,
      ...(contents.alias !== undefined && { alias: contents.alias }),
    };
  }
  try {
    return { kind: 'public-key', publicKey: createPublicKey({ key: bytes, format: 'der', type: 'spki' }), chain: [] };
  } catch {
    // not an SPKI public key
  }
  return { kind: 'private-key', publicKey: toPublicKey(parseKey(bytes, options)), chain: [] };
}

function parseKey(bytes: Uint8Array, options: ReadMaterialOptions): KeyObject {
  return parsePrivateKey(bytes, { ...(options.passphrase !== undefined && { passphrase: options.passphrase }) });
}

function fromCertificates([certificate, ...chain]: [X509Certificate, ...X509Certificate[]]): Material {
  return { kind: 'certificate', publicKey: certificate.publicKey, certificate, chain };
}

