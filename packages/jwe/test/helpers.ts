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
