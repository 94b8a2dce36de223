import type { OaepHash } from './rsa-oaep.js';

/**
 * Key management algorithms this package implements (RFC 7518 §4.3 and the IANA JOSE registry).
 * Only `RSA-OAEP-256` is accepted unless an allow-list says otherwise.
 */
export type KeyManagementAlgorithm = 'RSA-OAEP' | 'RSA-OAEP-256' | 'RSA-OAEP-384' | 'RSA-OAEP-512';

/** Content encryption algorithms this package implements (RFC 7518 §5). */
export type ContentEncryption = 'A128GCM' | 'A192GCM' | 'A256GCM' | 'A128CBC-HS256';

/** What one `enc` needs: key size, IV sizes accepted on decrypt and the node:crypto cipher. */
export interface ContentAlgorithm {
  keyBytes: number;
  ivBytes: readonly number[];
  kind: 'gcm' | 'cbc-hs';
  cipher: string;
}

export const contentAlgorithms: Readonly<Record<ContentEncryption, ContentAlgorithm>> = {
  // 16-byte GCM IVs are what Mastercard's Node library emits; GCM accepts them (the IV is hashed).
  A128GCM: { keyBytes: 16, ivBytes: [12, 16], kind: 'gcm', cipher: 'aes-128-gcm' },
  A192GCM: { keyBytes: 24, ivBytes: [12, 16], kind: 'gcm', cipher: 'aes-192-gcm' },
  A256GCM: { keyBytes: 32, ivBytes: [12, 16], kind: 'gcm', cipher: 'aes-256-gcm' },
  // RFC 7518 §5.2.3: a 32-byte key, MAC key first half, AES-128-CBC key second half, 16-byte IV.
  'A128CBC-HS256': { keyBytes: 32, ivBytes: [16], kind: 'cbc-hs', cipher: 'aes-128-cbc' },
};

/** The OAEP hash (digest and MGF1) of each key management algorithm. */
export const oaepHashes: Readonly<Record<KeyManagementAlgorithm, OaepHash>> = {
  'RSA-OAEP': 'SHA-1',
  'RSA-OAEP-256': 'SHA-256',
  'RSA-OAEP-384': 'SHA-384',
  'RSA-OAEP-512': 'SHA-512',
};

export function isKeyManagementAlgorithm(value: unknown): value is KeyManagementAlgorithm {
  return typeof value === 'string' && Object.hasOwn(oaepHashes, value);
}
export const contentEncryptions = Object.keys(contentAlgorithms) as ContentEncryption[];

export function isContentEncryption(value: unknown): value is ContentEncryption {
  return typeof value === 'string' && Object.hasOwn(contentAlgorithms, value);
}
