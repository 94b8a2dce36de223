import { type KeyObject, type X509Certificate, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type DecryptionKeys, toKeySet } from './decryption-keys.js';
import { cachedFingerprint } from './key-ids.js';
import { type OaepHash, rsaPublicKey, unwrapKey, wrapKey } from './rsa-oaep.js';

/** Binary-to-text encoding of legacy field-level encryption values. */
export type FieldLevelEncoding = 'hex' | 'base64';

/** The members of one legacy field-level encrypted value (Mastercard's default names). */
export interface FieldLevelEncrypted {
  encryptedValue: string;
  iv: string;
  encryptedKey: string;
  publicKeyFingerprint?: string;
  /** `SHA256` or `SHA512` (Mastercard writes it without the dash). */
  oaepHashingAlgorithm?: string;
}

/** Options of {@link encryptField}. */
export interface FieldLevelEncryptOptions {
  /** Recipient: RSA public key, private key or certificate. */
  key: KeyObject | X509Certificate;
  /** OAEP digest and MGF1 hash; default `SHA-256`. */
  oaepHash?: 'SHA-256' | 'SHA-512';
  /** Default `hex` (Mastercard's usual setting). */
  encoding?: FieldLevelEncoding;
  /** Value of `publicKeyFingerprint`; default the recipient's public-key fingerprint. */
  publicKeyFingerprint?: string;
  /** AES session key size in bytes; default 16 (AES-128, as Mastercard's libraries). */
  sessionKeyBytes?: 16 | 24 | 32;
}

/** Options of {@link decryptField}. */
export interface FieldLevelDecryptOptions {
  /** One private key, several, or a map fingerprint → key. */
  keys: DecryptionKeys;
  /** Default `hex`. */
  encoding?: FieldLevelEncoding;
  /** Used when the value carries no `oaepHashingAlgorithm`; default `SHA-256`. */
  oaepHash?: 'SHA-256' | 'SHA-512';
}

const failureMessage = 'The field-level encrypted value could not be decrypted: wrong key, or the value was altered.';

/**
 * Encrypts one value with Mastercard's legacy field-level scheme: AES-CBC (PKCS#7) with a random
 * session key, the key wrapped with RSA-OAEP (SHA-256 or SHA-512 for both digest and MGF1).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the key is not an RSA public key or certificate, or
 * `oaepHash` / `sessionKeyBytes` is not supported; `ERR_JWE_ENCRYPTION_FAILED` when wrapping fails.
 *
 * @example
 * ```ts
 * const fields = encryptField('{"pan":"5123…"}', { key: certificate, oaepHash: 'SHA-512' });
 * // { encryptedValue, iv, encryptedKey, publicKeyFingerprint, oaepHashingAlgorithm: 'SHA512' }
 * ```
 */
export function encryptField(plaintext: string | Uint8Array, options: FieldLevelEncryptOptions): Required<FieldLevelEncrypted> {
  const publicKey = rsaPublicKey(options.key, 'options.key');
  const oaepHash = options.oaepHash ?? 'SHA-256';
  if (oaepHash !== 'SHA-256' && oaepHash !== 'SHA-512') {
    throw new McapiError('ERR_INVALID_OPTION', 'options.oaepHash must be SHA-256 or SHA-512.');
  }
  const encoding = checkEncoding(options.encoding);
  const sessionKeyBytes = options.sessionKeyBytes ?? 16;
  if (![16, 24, 32].includes(sessionKeyBytes)) throw new McapiError('ERR_INVALID_OPTION', 'options.sessionKeyBytes must be 16, 24 or 32.');
  const sessionKey = randomBytes(sessionKeyBytes);
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${sessionKeyBytes * 8}-cbc`, sessionKey, iv);
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    encryptedValue: encrypted.toString(encoding),
    iv: iv.toString(encoding),
    encryptedKey: wrapKey(publicKey, sessionKey, oaepHash).toString(encoding),
    publicKeyFingerprint: options.publicKeyFingerprint ?? cachedFingerprint(options.key),
    oaepHashingAlgorithm: oaepHash.replace('-', ''),
  };
}

/**
 * Decrypts one legacy field-level value. The key is chosen by `publicKeyFingerprint` when it
 * names a known key, otherwise each key is tried; a missing `oaepHashingAlgorithm` falls back to
 * `options.oaepHash`. Every cryptographic failure is `ERR_FLE_DECRYPTION_FAILED` with one message.
 * Note the scheme has no MAC (CBC only): prefer JWE wherever the API offers it.
 *
 * @throws {McapiError} `ERR_FLE_MALFORMED` when a field is missing or not validly encoded, or the hash algorithm is unknown.
 * @throws {McapiError} `ERR_FLE_DECRYPTION_FAILED` when any cryptographic failure (one uniform error).
 *
 * @example
 * ```ts
 * const plaintext = await decryptField(response.encryptedFoo, { keys: privateKey });
 * ```
 */
export async function decryptField(fields: FieldLevelEncrypted, options: FieldLevelDecryptOptions): Promise<Uint8Array> {
  const keySet = toKeySet(options.keys);
  const encoding = checkEncoding(options.encoding);
  if (typeof fields !== 'object' || fields === null) throw new McapiError('ERR_FLE_MALFORMED', 'The encrypted field is not an object.');
  const encryptedValue = decodeValue(fields.encryptedValue, encoding, 'encryptedValue');
  const iv = decodeValue(fields.iv, encoding, 'iv');
  const encryptedKey = decodeValue(fields.encryptedKey, encoding, 'encryptedKey');
  if (iv.length !== 16) throw new McapiError('ERR_FLE_MALFORMED', `The iv is ${iv.length} bytes; AES-CBC takes 16.`);
  const hash = parseOaepHash(fields.oaepHashingAlgorithm, options.oaepHash ?? 'SHA-256');

  const named = typeof fields.publicKeyFingerprint === 'string' ? keySet.byKid.get(fields.publicKeyFingerprint) : undefined;
  const candidates = named !== undefined ? [named] : keySet.all;
  for (const key of candidates) {
    const sessionKey = await unwrapKey(key, encryptedKey, hash);
    if (sessionKey === undefined || ![16, 24, 32].includes(sessionKey.length)) continue;
    try {
      const decipher = createDecipheriv(`aes-${sessionKey.length * 8}-cbc`, sessionKey, iv);
      const plaintext = Buffer.concat([decipher.update(encryptedValue), decipher.final()]);
      return new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
    } catch {
      // Same outcome as an unwrap failure: try the next key, then fail uniformly.
    }
  }
  throw new McapiError('ERR_FLE_DECRYPTION_FAILED', failureMessage);
}

function parseOaepHash(value: unknown, fallback: OaepHash): OaepHash {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string') {
    const normalised = value.toUpperCase().replace('-', '');
    if (normalised === 'SHA256') return 'SHA-256';
    if (normalised === 'SHA512') return 'SHA-512';
  }
  throw new McapiError('ERR_FLE_MALFORMED', `oaepHashingAlgorithm ${JSON.stringify(String(value)).slice(0, 40)} is not SHA256 or SHA512.`);
}

function checkEncoding(encoding: FieldLevelEncoding | undefined): FieldLevelEncoding {
  const value = encoding ?? 'hex';
  if (value !== 'hex' && value !== 'base64') throw new McapiError('ERR_INVALID_OPTION', "options.encoding must be 'hex' or 'base64'.");
  return value;
}

function decodeValue(value: unknown, encoding: FieldLevelEncoding, name: string): Buffer {
  if (typeof value !== 'string' || value === '') {
    throw new McapiError('ERR_FLE_MALFORMED', `The encrypted field has no ${name} string.`);
  }
  const bytes = Buffer.from(value, encoding);
  // Node's decoders skip invalid characters; only the canonical encoding is accepted.
  const canonical = encoding === 'hex' ? value.toLowerCase() === bytes.toString('hex') : bytes.toString('base64') === value;
  if (!canonical) throw new McapiError('ERR_FLE_MALFORMED', `The ${name} is not valid ${encoding}.`);
  return bytes;
}

