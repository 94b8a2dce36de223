import { type KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type ExternalPrivateKey, certificateFingerprint } from '@mcapi/keys';
import { cachedFingerprint } from './key-ids.js';
import { isRsaPrivateKey } from './rsa-oaep.js';

/** One private RSA key: parsed in the process, or held by an HSM (`openPkcs11` from `@mcapi/pkcs11`). */
export type DecryptionKey = KeyObject | ExternalPrivateKey;

/**
 * The private keys a decryptor may use: one key, several keys (each known by its public-key
 * fingerprint), or a map kid → key such as a keyring's `decryptionKeys(environment)`. HSM keys
 * mix freely with file keys (rotation from one to the other included).
 */
export type DecryptionKeys = DecryptionKey | readonly DecryptionKey[] | ReadonlyMap<string, DecryptionKey>;

/** Keys by kid, plus every distinct key for tokens without a `kid`. */
export interface KeySet {
  byKid: ReadonlyMap<string, DecryptionKey>;
  all: readonly DecryptionKey[];
}

const keySets = new WeakMap<object, KeySet>();

/** Normalises `options.keys` (validated once per distinct keys object, then cached). */
export function toKeySet(keys: DecryptionKeys, option = 'options.keys'): KeySet {
  if (typeof keys !== 'object' || keys === null) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be a private KeyObject, an array of them, or a Map kid → KeyObject.`);
  }
  // Maps and arrays may be edited in place by their owner (a key added during a rotation), so
  // they are read afresh on every call (fingerprints stay cached per key); a single key is cached.
  if (keys instanceof Map) return fromMap(keys as ReadonlyMap<string, DecryptionKey>, option);
  const cached = Array.isArray(keys) ? undefined : keySets.get(keys);
  if (cached !== undefined) return cached;
  const list: readonly unknown[] = Array.isArray(keys) ? keys : [keys];
  const byKid = new Map<string, DecryptionKey>();
  for (const [index, key] of list.entries()) {
    if (!isRsaPrivateKey(key)) {
      throw new McapiError('ERR_INVALID_OPTION', `${option}${Array.isArray(keys) ? `[${index}]` : ''} is not an RSA private KeyObject.`);
    }
    byKid.set(cachedFingerprint(key), key);
  }
  if (byKid.size === 0) throw new McapiError('ERR_INVALID_OPTION', `${option} is empty: give at least one private key.`);
  const set = { byKid, all: [...byKid.values()] };
  if (!Array.isArray(keys)) keySets.set(keys, set);
  return set;
}

function fromMap(map: ReadonlyMap<string, DecryptionKey>, option: string): KeySet {
  const all = new Set<DecryptionKey>();
  for (const [kid, key] of map) {
    if (!isRsaPrivateKey(key)) {
      throw new McapiError('ERR_INVALID_OPTION', `${option} entry ${JSON.stringify(kid)} is not an RSA private KeyObject.`);
    }
    all.add(key);
  }
  if (all.size === 0) throw new McapiError('ERR_INVALID_OPTION', `${option} is empty: give at least one private key.`);
  return { byKid: map, all: [...all] };
}

/**
 * A map kid → key under every kid convention Mastercard uses for a key pair: the public-key
 * fingerprint, and, with the certificate, its SHA-256 in hex and base64. Pass it as
 * `options.keys` when the sender names keys by certificate.
 *
 * @example
 * ```ts
 * const keys = keyIdsFor([{ privateKey, certificate }]);
 * const { plaintext } = await decrypt(token, { keys });
 * ```
 */
export function keyIdsFor(pairs: readonly { privateKey: DecryptionKey; certificate?: X509Certificate }[]): Map<string, DecryptionKey> {
  const map = new Map<string, DecryptionKey>();
  for (const [index, { privateKey, certificate }] of pairs.entries()) {
    if (!isRsaPrivateKey(privateKey)) {
      throw new McapiError('ERR_INVALID_OPTION', `pairs[${index}].privateKey is not an RSA private KeyObject.`);
    }
    map.set(cachedFingerprint(privateKey), privateKey);
    if (certificate !== undefined) {
      if (!(certificate instanceof X509Certificate)) {
        throw new McapiError('ERR_INVALID_OPTION', `pairs[${index}].certificate is not an X509Certificate.`);
      }
      map.set(certificateFingerprint(certificate, 'hex'), privateKey);
      map.set(certificateFingerprint(certificate, 'base64'), privateKey);
    }
  }
  return map;
}
