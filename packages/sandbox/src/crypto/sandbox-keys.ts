import type { KeyObject } from 'node:crypto';
import { certificateFingerprint, parseCertificates, parsePrivateKey, publicKeyFingerprint } from '@mcapi/keys';
import { type CertificateAndKey, createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';

/** The sandbox's own key material: its CA, its TLS server identity and its request-encryption key. */
export interface SandboxKeys {
  ca: CertificateAndKey;
  server: CertificateAndKey;
  /** Clients encrypt requests to this certificate ("client encryption key" on the dashboard). */
  requestEncryption: CertificateAndKey;
  /** kid → private key for request decryption: public-key fingerprint and certificate hashes. */
  requestDecryptionKeys: ReadonlyMap<string, KeyObject>;
}

/** PEM form of {@link SandboxKeys}, for `--state`. */
export interface StoredSandboxKeys {
  ca: StoredPair;
  server: StoredPair;
  requestEncryption: StoredPair;
}

/** A certificate and private key as PEM. */
export interface StoredPair {
  certificate: string;
  privateKey: string;
}

/**
 * Creates fresh sandbox keys. The three RSA-2048 key generations run in parallel on libuv's
 * thread pool (Node's native generator), which keeps start-up well under a second.
 */
export async function createSandboxKeys(): Promise<SandboxKeys> {
  const [ca, serverPair, encryptionPair] = await Promise.all([
    createCertificateAuthority({ commonName: 'mcapi sandbox CA', organization: 'mcapi sandbox' }),
    generateRsaKeyPair(2048),
    generateRsaKeyPair(2048),
  ]);
  const server = issueCertificate({
    issuer: ca,
    publicKey: serverPair.publicKey,
    subject: { CN: 'localhost', O: 'mcapi sandbox' },
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    validityDays: 825,
  });
  const requestEncryption = issueCertificate({
    issuer: ca,
    publicKey: encryptionPair.publicKey,
    subject: { CN: 'mcapi sandbox request encryption', O: 'mcapi sandbox' },
    usage: 'encryption',
    validityDays: 825,
  });
  return assemble(ca, { certificate: server, privateKey: serverPair.privateKey }, {
    certificate: requestEncryption,
    privateKey: encryptionPair.privateKey,
  });
}

/** Rebuilds keys saved by {@link storeSandboxKeys}. */
export function restoreSandboxKeys(stored: StoredSandboxKeys): SandboxKeys {
  // Through @mcapi/keys, so a damaged state file fails with its typed ERR_KEY_FORMAT messages.
  const encoder = new TextEncoder();
  const load = (pair: StoredPair): CertificateAndKey => ({
    certificate: parseCertificates(encoder.encode(pair.certificate))[0],
    privateKey: parsePrivateKey(encoder.encode(pair.privateKey)),
  });
  return assemble(load(stored.ca), load(stored.server), load(stored.requestEncryption));
}

/** PEM form of the keys (private keys unencrypted PKCS#8: the state file is written 0600). */
export function storeSandboxKeys(keys: SandboxKeys): StoredSandboxKeys {
  const save = (pair: CertificateAndKey): StoredPair => ({
    certificate: pair.certificate.toString(),
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  return { ca: save(keys.ca), server: save(keys.server), requestEncryption: save(keys.requestEncryption) };
}

function assemble(ca: CertificateAndKey, server: CertificateAndKey, requestEncryption: CertificateAndKey): SandboxKeys {
  // Clients may name the key by any of the three kid conventions (mastercard-security.md §2).
  const privateKey = requestEncryption.privateKey;
  const requestDecryptionKeys = new Map<string, KeyObject>([
    [publicKeyFingerprint(requestEncryption.certificate), privateKey],
    [certificateFingerprint(requestEncryption.certificate, 'hex'), privateKey],
    [certificateFingerprint(requestEncryption.certificate, 'base64'), privateKey],
  ]);
  return { ca, server, requestEncryption, requestDecryptionKeys };
}
