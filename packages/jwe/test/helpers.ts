import { chmodSync, readFileSync } from 'node:fs';
import { type KeyObject, X509Certificate, generateKeyPairSync } from 'node:crypto';
import { parsePrivateKey } from '@mcapi/keys';

const here = new URL('./vectors/', import.meta.url);

export function vectorText(name: string): string {
  return readFileSync(new URL(name, here), 'utf8');
}

export function vectorBytes(name: string): Buffer {
  return readFileSync(new URL(name, here));
}

export interface JweVector {
  token: string;
  header: Record<string, unknown>;
  ivBytes: number;
  nonStandardAlphabet: boolean;
  plaintext?: string;
  expect: 'decrypts' | 'rejected';
  why?: string;
}

export interface JweVectors {
  kidPublicKeySha256Hex: string;
  kidCertificateSha256Hex: string;
  kidCertificateSha256Base64: string;
  vectors: JweVector[];
}

export const jweVectors = JSON.parse(vectorText('vectors.json')) as JweVectors;
export const privateKeyPkcs8: KeyObject = parsePrivateKey(vectorBytes('test_key.pkcs8.pem'));
export const privateKeyPkcs1: KeyObject = parsePrivateKey(vectorBytes('test_key.pkcs1.pem'));
export const certificate = new X509Certificate(vectorBytes('test_certificate.pem'));
export const certificateDer = new X509Certificate(vectorBytes('test_certificate.der'));
export const testKeyPath = new URL('test_key.pkcs8.pem', here).pathname;
// Key files must not be readable by others (@mcapi/keys warns otherwise); git keeps no such mode.
chmodSync(testKeyPath, 0o600);
export const testCertificatePath = new URL('test_certificate.pem', here).pathname;

let other: KeyObject | undefined;
/** A second RSA key (generated once per run) for wrong-key and rotation tests. */
export function otherPrivateKey(): KeyObject {
  other ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return other;
}

/**
 * Boots the RSA pool's workers the way a service does (a burst on the libuv bridge, whose
 * draining starts them) and waits until every one is online, so the next burst goes to them.
 */
export async function rsaWorkersOnline(): Promise<void> {
  const { decryptOffThread, rsaOnlineWorkerCount, rsaWorkerCount } = await import('../src/rsa-worker-pool.js');
  const { constants, privateDecrypt, publicEncrypt } = await import('node:crypto');
  if (rsaWorkerCount() === 0) {
    const wrapped = publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.alloc(32));
    const inline = (key: KeyObject, data: Uint8Array, hash: string) =>
      privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
    await Promise.all([1, 2].map(() => decryptOffThread(privateKeyPkcs8, wrapped, 'sha256', inline)));
  }
  // Bounded by the test timeout, not by a guess of how long a loaded machine takes to boot them.
  while (rsaWorkerCount() === 0 || rsaOnlineWorkerCount() < rsaWorkerCount()) await new Promise((resolve) => setTimeout(resolve, 5));
}
