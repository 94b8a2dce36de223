import { type KeyObject, X509Certificate, randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type ContentEncryption, contentAlgorithms, isContentEncryption } from './algorithms.js';
import { encodeBase64Url } from './base64.js';
import { type KidOption, resolveKid } from './key-ids.js';
import { rsaPublicKey, wrapKey } from './rsa-oaep.js';
import { sealContent } from './content-cipher.js';
import { stringifyJsonLossless } from './lossless-json-stringify.js';

/** Options of {@link encrypt}. */
export interface EncryptOptions {
  /** The recipient's key: its RSA public key, its private key, or its certificate. */
  key: KeyObject | X509Certificate;
  /**
   * `kid` header: default the public-key fingerprint; an explicit string; or
   * `'certificate-sha256-hex' | 'certificate-sha256-base64'` when `key` is a certificate.
   */
  kid?: KidOption;
  /** `cty` header; default `application/json`. `false` leaves it out. */
  cty?: string | false;
  /** Content encryption; default `A256GCM`. */
  enc?: ContentEncryption;
  /**
   * GCM IV length in bytes: 12 (default, RFC 7518 §5.3) or 16, only for receivers that need
   * Mastercard's legacy Node format. A128CBC-HS256 always uses 16.
   */
  ivLength?: 12 | 16;
}

// Encoded headers are cached: the same recipient gets the same header on every call.
const headerCache = new Map<string, Buffer>();

/**
 * Encrypts to compact JWE (RFC 7516 §7.1) with `alg: RSA-OAEP-256`: a fresh content key per
 * call, wrapped with the recipient's public key. Output is standard base64url.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the key, `alg`, `enc` or another option is invalid (checked before anything is encrypted).
 *
 * @example
 * ```ts
 * const certificate = await loadCertificate({ path: 'mastercard-encryption.pem' });
 * const token = await encrypt(JSON.stringify({ pan: '5123…' }), { key: certificate });
 * ```
 */
export async function encrypt(plaintext: string | Uint8Array, options: EncryptOptions): Promise<string> {
  return encryptSync(plaintext, options);
}

/**
 * Serialises `value` as JSON and encrypts it (see {@link encrypt}).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` as {@link encrypt}, and when the value has no JSON form (undefined, a function) or holds a number JSON cannot carry (`NaN`, `Infinity`).
 *
 * @example
 * ```ts
 * const token = await encryptJson({ cardId: 'c1' }, { key: certificate, kid: 'certificate-sha256-hex' });
 * ```
 */
export async function encryptJson(value: unknown, options: EncryptOptions): Promise<string> {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new McapiError('ERR_INVALID_OPTION', 'encryptJson: the value has no JSON form (undefined or a function).');
  }
  // Lossless: bigint and exact decimals (JsonNumber) keep their digits.
  return encryptSync(stringifyJsonLossless(value), options);
}

/** Synchronous core of {@link encrypt}: RSA public-key work is cheap and never blocks for long. */
export function encryptSync(plaintext: string | Uint8Array, options: EncryptOptions): string {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'encrypt: options with a recipient key are required.');
  }
  const { key } = options;
  const publicKey = rsaPublicKey(key, 'options.key');
  const enc = options.enc ?? 'A256GCM';
  if (!isContentEncryption(enc)) {
    throw new McapiError('ERR_INVALID_OPTION', `options.enc must be one of A128GCM, A192GCM, A256GCM, A128CBC-HS256.`);
  }
  const algorithm = contentAlgorithms[enc];
  const ivLength = options.ivLength ?? 12;
  if (ivLength !== 12 && ivLength !== 16) throw new McapiError('ERR_INVALID_OPTION', 'options.ivLength must be 12 or 16.');
  const cty = options.cty ?? 'application/json';
  if (cty !== false && typeof cty !== 'string') throw new McapiError('ERR_INVALID_OPTION', 'options.cty must be a string or false.');
  const kid = resolveKid(key, options.kid, key instanceof X509Certificate);

  const protectedHeader = encodedHeader(kid, cty, enc);
  const cek = randomBytes(algorithm.keyBytes);
  const iv = randomBytes(algorithm.kind === 'gcm' ? ivLength : 16);
  if (typeof plaintext !== 'string' && !(plaintext instanceof Uint8Array)) {
    throw new McapiError('ERR_INVALID_OPTION', 'encrypt: the plaintext must be a string or a Uint8Array.');
  }
  const encryptedKey = wrapKey(publicKey, cek, 'SHA-256');
  const { ciphertext, tag } = sealContent(algorithm, cek, iv, protectedHeader, plaintext);
  return `${protectedHeader.toString('latin1')}.${encodeBase64Url(encryptedKey)}.${encodeBase64Url(iv)}.${encodeBase64Url(
    ciphertext,
  )}.${encodeBase64Url(tag)}`;
}

function encodedHeader(kid: string, cty: string | false, enc: ContentEncryption): Buffer {
  const cacheKey = `${enc}\u0000${cty === false ? '' : cty}\u0000${cty === false ? 0 : 1}\u0000${kid}`;
  let header = headerCache.get(cacheKey);
  if (header === undefined) {
    const members: Record<string, string> = { alg: 'RSA-OAEP-256', enc, kid };
    if (cty !== false) members.cty = cty;
    // The AAD is the ASCII of the encoded header (RFC 7516 §5.1 step 14).
    header = Buffer.from(Buffer.from(JSON.stringify(members)).toString('base64url'), 'latin1');
    if (headerCache.size > 256) headerCache.clear();
    headerCache.set(cacheKey, header);
  }
  return header;
}
