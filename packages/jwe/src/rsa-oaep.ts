import { KeyObject, X509Certificate, constants, createPublicKey, publicEncrypt, webcrypto } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { McapiError } from '@mcapi/errors';

/** The OAEP hash (for both the digest and MGF1). JWE uses SHA-256; legacy FLE also SHA-512. */
export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const nodeHashNames: Readonly<Record<OaepHash, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const { subtle } = webcrypto;

// CryptoKeys are derived once per KeyObject and hash, then reused: importing costs as much as
// a decryption. A WeakMap lets the cache go with the KeyObject.
const cryptoKeys = new WeakMap<KeyObject, Map<OaepHash, Promise<webcrypto.CryptoKey>>>();

function oaepCryptoKey(privateKey: KeyObject, hash: OaepHash): Promise<webcrypto.CryptoKey> {
  let byHash = cryptoKeys.get(privateKey);
  if (byHash === undefined) {
    byHash = new Map();
    cryptoKeys.set(privateKey, byHash);
  }
  let key = byHash.get(hash);
  if (key === undefined) {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    key = subtle.importKey('pkcs8', der, { name: 'RSA-OAEP', hash }, false, ['decrypt']);
    byHash.set(hash, key);
    // A failed import must not stay cached as a rejected promise.
    key.catch(() => byHash?.delete(hash));
  }
  return key;
}

/**
 * RSA-OAEP decryption of a wrapped key. Runs through WebCrypto, which performs the private-key
 * operation on the libuv thread pool, so many concurrent decryptions neither block the event
 * loop nor serialise on it. Returns `undefined` on failure (never a distinguishable error).
 */
export async function unwrapKey(privateKey: KeyObject, wrapped: Uint8Array, hash: OaepHash): Promise<Buffer | undefined> {
  await acquireSlot();
  try {
    const key = await oaepCryptoKey(privateKey, hash);
    return Buffer.from(await subtle.decrypt({ name: 'RSA-OAEP' }, key, wrapped));
  } catch {
    return undefined;
  } finally {
    releaseSlot();
  }
}

// At most this many RSA jobs sit in the libuv thread pool at once: enough to keep every core
// busy, while leaving a thread free for fs, dns.lookup and zlib, which share the pool (1,000
// queued decryptions would otherwise delay every DNS lookup behind them).
const poolSize = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4;
const maxInFlight = Math.max(1, Math.min(poolSize - 1, availableParallelism() + 1));
let inFlight = 0;
const waiting: (() => void)[] = [];

function acquireSlot(): Promise<void> | undefined {
  if (inFlight < maxInFlight) {
    inFlight++;
    return undefined;
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  // The slot passes straight to the next waiter, so inFlight stays the same.
  if (next !== undefined) next();
  else inFlight--;
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
  if (key instanceof X509Certificate) publicKey = key.publicKey;
  else if (key instanceof KeyObject && key.type === 'public') publicKey = key;
  else if (key instanceof KeyObject && key.type === 'private') publicKey = createPublicKey(key);
  if (publicKey === undefined || publicKey.asymmetricKeyType !== 'rsa') {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an RSA public key, private key or X509Certificate.`);
  }
  publicKeys.set(key, publicKey);
  return publicKey;
}

/** True for an RSA private `KeyObject` (what OAEP decryption needs). */
export function isRsaPrivateKey(value: unknown): value is KeyObject {
  return value instanceof KeyObject && value.type === 'private' && value.asymmetricKeyType === 'rsa';
}
