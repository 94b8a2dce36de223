import { KeyObject, X509Certificate, constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { type ExternalPrivateKey, isExternalPrivateKey, toPublicKey } from '@mcapi/keys';
import { McapiError } from '@mcapi/errors';
import { decryptOffThread } from './rsa-worker-pool.js';

/** The OAEP hash (for both the digest and MGF1). JWE uses SHA-256; legacy FLE also SHA-512. */
export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const nodeHashNames: Readonly<Record<OaepHash, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * RSA-OAEP decryption of a wrapped key. Returns `undefined` on failure (never a distinguishable
 * error). Where it runs depends on demand:
 * - a lone decryption (nothing else waiting or in flight) runs inline with `privateDecrypt`: a
 *   thread-pool hop costs more than the ~0.3 ms it would free the event loop for;
 * - as soon as several are wanted at once, they go off the event loop (rsa-worker-pool.ts) and
 *   run in parallel on every core: on a small pool of worker threads, or, until a worker is online
 *   (the first burst after start-up), on the libuv pool through WebCrypto, each job in flight with
 *   its own copy of the key (rsa-libuv-bridge.ts).
 * Every path gives the same `undefined` for any failure.
 */
export async function unwrapKey(privateKey: KeyObject | ExternalPrivateKey, wrapped: Uint8Array, hash: OaepHash): Promise<Buffer | undefined> {
  if (isExternalPrivateKey(privateKey)) return unwrapExternal(privateKey, wrapped, hash);
  demand++;
  try {
    // One microtask: a caller that starts many decryptions in a loop (Promise.all over a batch,
    // or many responses parsed in one tick) has registered all of them by the time we decide.
    await undefined;
    if (demand === 1) return unwrapInline(privateKey, wrapped, hash);
    return await decryptOffThread(privateKey, wrapped, nodeHashNames[hash], unwrapWithNodeHash);
  } finally {
    demand--;
  }
}

// An HSM key unwraps inside its token (off the event loop where its binding allows); any failure
// is the same `undefined` as for a local key.
async function unwrapExternal(key: ExternalPrivateKey, wrapped: Uint8Array, hash: OaepHash): Promise<Buffer | undefined> {
  if (hash !== 'SHA-256' || key.decrypt === undefined) return undefined;
  try {
    const cek = await key.decrypt('RSA-OAEP-256', wrapped);
    return Buffer.from(cek.buffer, cek.byteOffset, cek.byteLength);
  } catch {
    return undefined;
  }
}

// Decryptions started and not yet finished, inline or pooled.
let demand = 0;

function unwrapInline(privateKey: KeyObject, wrapped: Uint8Array, hash: OaepHash): Buffer | undefined {
  return unwrapWithNodeHash(privateKey, wrapped, nodeHashNames[hash]);
}

function unwrapWithNodeHash(privateKey: KeyObject, wrapped: Uint8Array, hash: string): Buffer | undefined {
  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, wrapped);
  } catch {
    return undefined;
  }
}

/**
 * RSA-OAEP encryption of a content key with the recipient's public key. The public-key operation
 * is cheap (tens of microseconds), so it runs synchronously: a thread-pool hop would cost more.
 */
export function wrapKey(publicKey: KeyObject, cek: Uint8Array, hash: OaepHash): Buffer {
  try {
    return publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: nodeHashNames[hash] },
      cek,
    );
  } catch (cause) {
    throw new McapiError('ERR_JWE_ENCRYPTION_FAILED', 'RSA-OAEP encryption of the content key failed; is the key an RSA public key?', {
      cause,
    });
  }
}

const publicKeys = new WeakMap<KeyObject | X509Certificate, KeyObject>();

/** The RSA public key of a key or certificate, derived once and cached. */
export function rsaPublicKey(key: KeyObject | X509Certificate, option: string): KeyObject {
  const cached = publicKeys.get(key);
  if (cached !== undefined) return cached;
  let publicKey: KeyObject | undefined;
  try {
    publicKey = key instanceof X509Certificate || key instanceof KeyObject ? toPublicKey(key) : undefined;
  } catch {
    publicKey = undefined; // a secret key: reported below like any other wrong key
  }
  if (publicKey === undefined || publicKey.asymmetricKeyType !== 'rsa') {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an RSA public key, private key or X509Certificate.`);
  }
  publicKeys.set(key, publicKey);
  return publicKey;
}

/** True for an RSA private `KeyObject`, or an RSA HSM key that can decrypt (what OAEP decryption needs). */
export function isRsaPrivateKey(value: unknown): value is KeyObject | ExternalPrivateKey {
  if (isExternalPrivateKey(value)) return value.publicKey.asymmetricKeyType === 'rsa' && typeof value.decrypt === 'function';
  return value instanceof KeyObject && value.type === 'private' && value.asymmetricKeyType === 'rsa';
}
