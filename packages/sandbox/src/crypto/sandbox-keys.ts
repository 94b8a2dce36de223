import type { KeyObject } from 'node:crypto';
import { certificateFingerprint, parseCertificates, parsePrivateKey, publicKeyFingerprint } from '@mcapi/keys';
import { type CertificateAndKey, createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';

/** The sandbox's own key material: its CA, its TLS server identity and its request-encryption key. */
export interface SandboxKeys {
  ca: CertificateAndKey;
  server: CertificateAndKey;
  /** Clients encrypt requests to this certificate ("client encryption key" on the dashboard); replaced by {@link renewRequestEncryption}. */
  requestEncryption: CertificateAndKey;
  /**
   * kid → private key for request decryption: public-key fingerprint and certificate hashes, of
   * the current key and of keys renewed away since start (edited in place; @mcapi/jwe reads a Map
   * afresh on every call).
   */
  requestDecryptionKeys: Map<string, KeyObject>;
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
  return assemble(ca, { certificate: server, privateKey: serverPair.privateKey }, requestEncryptionPair(ca, encryptionPair));
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

/**
 * What Mastercard does when its request-encryption certificate nears expiry: a new key pair and
 * certificate become the one handed to clients, and the previous key keeps decrypting, so
 * requests encrypted to either succeed while clients switch. The previous key is kept in memory
 * only: a sandbox restarted from `--state` accepts the new one alone.
 *
 * @example
 * ```ts
 * await renewRequestEncryption(keys); // keys.requestEncryption is the new certificate
 * ```
 */
export async function renewRequestEncryption(keys: SandboxKeys): Promise<void> {
  keys.requestEncryption = requestEncryptionPair(keys.ca, await generateRsaKeyPair(2048));
  addDecryptionKids(keys.requestDecryptionKeys, keys.requestEncryption);
}

// Mastercard's request-encryption certificate as the sandbox issues it, at start and on renewal.
function requestEncryptionPair(ca: CertificateAndKey, pair: Awaited<ReturnType<typeof generateRsaKeyPair>>): CertificateAndKey {
  const certificate = issueCertificate({
    issuer: ca,
    publicKey: pair.publicKey,
    subject: { CN: 'mcapi sandbox request encryption', O: 'mcapi sandbox' },
    usage: 'encryption',
    validityDays: 825,
  });
  return { certificate, privateKey: pair.privateKey };
}

function assemble(ca: CertificateAndKey, server: CertificateAndKey, requestEncryption: CertificateAndKey): SandboxKeys {
  const requestDecryptionKeys = new Map<string, KeyObject>();
  addDecryptionKids(requestDecryptionKeys, requestEncryption);
  return { ca, server, requestEncryption, requestDecryptionKeys };
}

// Clients may name the key by any of the three kid conventions (mastercard-security.md §2).
function addDecryptionKids(byKid: Map<string, KeyObject>, { certificate, privateKey }: CertificateAndKey): void {
  byKid.set(publicKeyFingerprint(certificate), privateKey);
  byKid.set(certificateFingerprint(certificate, 'hex'), privateKey);
  byKid.set(certificateFingerprint(certificate, 'base64'), privateKey);
}
