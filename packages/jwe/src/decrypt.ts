import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { McapiError } from '@mcapi/errors';
import {
  type ContentEncryption,
  type KeyManagementAlgorithm,
  contentAlgorithms,
  contentEncryptions,
  isContentEncryption,
  isKeyManagementAlgorithm,
  oaepHashes,
} from './algorithms.js';
import { assertOneAlphabet, decodePart } from './base64.js';
import { openContent } from './content-cipher.js';
import { type DecryptionKey, type DecryptionKeys, toKeySet } from './decryption-keys.js';
import { isJsonNumber } from './json-number.js';
import { type JweHeader, parseHeader, quote } from './header.js';
import { parseJsonLossless } from './lossless-json-parse.js';
import { unwrapKey } from './rsa-oaep.js';

/** Options of {@link decrypt}. */
export interface DecryptOptions {
  /** One private key, several, or a map kid → key (e.g. a keyring's `decryptionKeys(env)`). */
  keys: DecryptionKeys;
  /** `alg` allow-list; default `['RSA-OAEP-256']`. `none`, `dir`, `RSA1_5` are never accepted. */
  algorithms?: readonly KeyManagementAlgorithm[];
  /** `enc` allow-list; default A128GCM, A192GCM, A256GCM, A128CBC-HS256. */
  encryptions?: readonly ContentEncryption[];
  /** Largest token accepted, in bytes; default 16 MiB. */
  maxTokenBytes?: number;
  /**
   * Accept `zip: "DEF"` (RFC 7516 §4.1.3), inflating at most `maxDecompressedBytes` (1 byte to
   * {@link maxZipDecompressedBytes}, 4 GiB: the largest buffer Node can make). Off by default.
   */
  zip?: { maxDecompressedBytes: number };
}

/** What {@link decrypt} returns. */
export interface DecryptResult {
  plaintext: Uint8Array;
  header: JweHeader;
}

/**
 * Default `maxTokenBytes`: 16 MiB.
 *
 * @example
 * ```ts
 * await decrypt(token, { keys, maxTokenBytes: defaultMaxTokenBytes / 4 });
 * ```
 */
export const defaultMaxTokenBytes = 16 * 1024 * 1024;

// One message for every cryptographic failure (OAEP, tag, padding, wrong key): RFC 7516 §11.5.
const failureMessage = 'The JWE could not be decrypted: wrong key, or the token was altered. Check the kid and the key used.';

function decryptionFailed(): McapiError {
  return new McapiError('ERR_JWE_DECRYPTION_FAILED', failureMessage);
}

interface ParsedToken {
  header: JweHeader;
  aad: Buffer;
  encryptedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Decrypts a compact JWE. The key is chosen by `kid`; without a `kid`, or with one that names no
 * configured key (another naming convention), each key is tried. Accepts
 * what Mastercard's servers and libraries send (12- or 16-byte GCM IVs, `+` `/` `=` in parts,
 * A128CBC-HS256 with its HMAC verified) and rejects anything else with a typed error.
 *
 * @throws {McapiError} `ERR_JWE_MALFORMED` when the token is not a well-formed compact JWE.
 * @throws {McapiError} `ERR_JWE_UNSUPPORTED` when the header asks for an algorithm or feature that is not accepted.
 * @throws {McapiError} `ERR_JWE_TOO_LARGE` when the token or its decompressed plaintext exceeds the configured limit.
 * @throws {McapiError} `ERR_JWE_UNKNOWN_KID` when the token's `kid` names none of the configured keys.
 * @throws {McapiError} `ERR_JWE_DECRYPTION_FAILED` when any cryptographic failure: one uniform error that reveals nothing (no oracle).
 * @throws {McapiError} `ERR_INVALID_OPTION` when `keys` or another option is invalid.
 *
 * @example
 * ```ts
 * const { plaintext, header } = await decrypt(token, { keys: keyring.decryptionKeys('sandbox') });
 * ```
 */
export async function decrypt(token: string, options: DecryptOptions): Promise<DecryptResult> {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'decrypt: options with the decryption keys are required.');
  }
  validateZipOption(options.zip, 'options.zip');
  const keySet = toKeySet(options.keys);
  const parsed = parseToken(token, options);
  const { header } = parsed;
  const algorithm = contentAlgorithms[header.enc];

  // A kid we know selects its key. A kid we do not know may still name one of our keys by
  // another convention (Mastercard's own Node test responses use the certificate's SHA-256 in
  // base64), so then every key is tried, as without a kid: keys are few. Only when none opens
  // the token is the kid reported unknown; which failure it was is never told (no oracle).
  const known = header.kid === undefined ? undefined : keySet.byKid.get(header.kid);
  const candidates: readonly DecryptionKey[] = known === undefined ? keySet.all : [known];

  const hash = oaepHashes[header.alg as KeyManagementAlgorithm];
  let plaintext: Buffer | undefined;
  for (const key of candidates) {
    let cek = await unwrapKey(key, parsed.encryptedKey, hash);
    // RFC 7516 §11.5: on a key unwrap failure continue with a random key, so an OAEP failure and
    // a tag failure take the same path and time.
    if (cek === undefined || cek.length !== algorithm.keyBytes) cek = randomBytes(algorithm.keyBytes);
    plaintext = openContent(algorithm, cek, parsed.iv, parsed.aad, parsed.ciphertext, parsed.tag);
    if (plaintext !== undefined) break;
  }
  if (plaintext === undefined) {
    if (header.kid !== undefined && known === undefined) {
      throw new McapiError(
        'ERR_JWE_UNKNOWN_KID',
        `No decryption key has kid ${quote(header.kid)}, and none of the ${keySet.all.length} configured opens the token. Known kids: ${[...keySet.byKid.keys()].join(', ')}. Add the private key the sender encrypted to.`,
      );
    }
    throw decryptionFailed();
  }
  if (header.zip !== undefined) plaintext = inflate(plaintext, options.zip!.maxDecompressedBytes);
  return { plaintext: new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength), header };
}

/**
 * The largest `zip.maxDecompressedBytes`: Node's buffer limit (`buffer.constants.MAX_LENGTH`,
 * 4 GiB on 64-bit Node 20+). A larger cap could never be honoured: inflating would fail on valid
 * tokens, so it is refused up front.
 *
 * @example
 * ```ts
 * await decrypt(token, { keys, zip: { maxDecompressedBytes: Math.min(wanted, maxZipDecompressedBytes) } });
 * ```
 */
export const maxZipDecompressedBytes: number = bufferConstants.MAX_LENGTH;

/** Checks `options.zip` of {@link decrypt} (also at payload-cipher construction). */
export function validateZipOption(zip: unknown, option: string): void {
  if (zip === undefined) return;
  const cap = typeof zip === 'object' && zip !== null ? (zip as { maxDecompressedBytes?: unknown }).maxDecompressedBytes : undefined;
  if (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap <= 0 || cap > maxZipDecompressedBytes) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${option}.maxDecompressedBytes must be an integer from 1 to ${maxZipDecompressedBytes} (4 GiB, Node's largest buffer).`,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypts (see {@link decrypt}) and parses the plaintext as JSON.
 *
 * @throws {McapiError} as {@link decrypt} (`ERR_JWE_MALFORMED`, `ERR_JWE_UNKNOWN_KID`, `ERR_JWE_UNSUPPORTED`, `ERR_JWE_TOO_LARGE`, `ERR_JWE_DECRYPTION_FAILED`); `ERR_JSON_INVALID` when the plaintext is not JSON.
 *
 * @example
 * ```ts
 * const { value } = await decryptJson<{ cardId: string }>(token, { keys: privateKey });
 * ```
 */
export async function decryptJson<T = unknown>(token: string, options: DecryptOptions): Promise<{ value: T; header: JweHeader }> {
  const { plaintext, header } = await decrypt(token, options);
  let text: string;
  try {
    text = utf8.decode(plaintext);
  } catch {
    throw new McapiError('ERR_JWE_MALFORMED', 'The decrypted JWE payload is not UTF-8 JSON; use decrypt() for other content.');
  }
  // Lossless: a 19-digit PAN arrives as bigint, `105.10` as a JsonNumber that keeps its text.
  return { value: parseJsonLossless(text) as T, header };
}

/** Structural checks and decoding, before any key is touched. */
export function parseToken(token: string, options: Omit<DecryptOptions, 'keys'>): ParsedToken {
  if (typeof token !== 'string') throw new McapiError('ERR_JWE_MALFORMED', 'The JWE must be a string in compact serialization.');
  const maxTokenBytes = options.maxTokenBytes ?? defaultMaxTokenBytes;
  if (!Number.isSafeInteger(maxTokenBytes) || maxTokenBytes <= 0) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.maxTokenBytes must be a positive integer.');
  }
  if (token.length > maxTokenBytes) {
    throw new McapiError('ERR_JWE_TOO_LARGE', `The JWE is larger than ${maxTokenBytes} bytes (options.maxTokenBytes).`);
  }
  const parts = token.split('.');
  if (parts.length !== 5) {
    throw new McapiError(
      'ERR_JWE_MALFORMED',
      `A compact JWE has 5 dot-separated parts; this one has ${parts.length}. JSON serialization is not supported.`,
    );
  }
  const [headerPart, keyPart, ivPart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  if (headerPart === '') throw new McapiError('ERR_JWE_MALFORMED', 'The JWE protected header is empty.');
  assertOneAlphabet(token);
  const raw = cachedHeader(headerPart);

  const allowedAlgorithms = options.algorithms ?? ['RSA-OAEP-256'];
  if (!isKeyManagementAlgorithm(raw.alg) || !allowedAlgorithms.includes(raw.alg)) {
    throw new McapiError(
      'ERR_JWE_UNSUPPORTED',
      `JWE alg ${quote(String(raw.alg))} is not accepted; allowed: ${allowedAlgorithms.join(', ')} (options.algorithms).`,
    );
  }
  const allowedEncryptions = options.encryptions ?? contentEncryptions;
  if (!isContentEncryption(raw.enc) || !allowedEncryptions.includes(raw.enc)) {
    throw new McapiError(
      'ERR_JWE_UNSUPPORTED',
      `JWE enc ${quote(String(raw.enc))} is not supported; allowed: ${allowedEncryptions.join(', ')} (options.encryptions).`,
    );
  }
  // RFC 7516 §4.1.13: a recipient must reject critical extensions it does not understand; we
  // understand none.
  if ('crit' in raw) {
    throw new McapiError('ERR_JWE_UNSUPPORTED', 'The JWE header has "crit" extensions, which are not supported.');
  }
  if ('zip' in raw) {
    if (options.zip === undefined) {
      throw new McapiError('ERR_JWE_UNSUPPORTED', 'The JWE is compressed (zip); enable options.zip with a maxDecompressedBytes cap to accept it.');
    }
    if (raw.zip !== 'DEF') throw new McapiError('ERR_JWE_UNSUPPORTED', `JWE zip ${quote(String(raw.zip))} is not supported (only DEF).`);
    validateZipOption(options.zip, 'options.zip');
  }
  const header = copyHeader(raw);
  const algorithm = contentAlgorithms[header.enc];
  const encryptedKey = decodePart(keyPart, 'encrypted key');
  const iv = decodePart(ivPart, 'initialization vector');
  const ciphertext = decodePart(ciphertextPart, 'ciphertext');
  const tag = decodePart(tagPart, 'authentication tag');
  if (encryptedKey.length === 0) throw new McapiError('ERR_JWE_MALFORMED', 'The JWE encrypted key is empty; RSA-OAEP needs one.');
  if (!algorithm.ivBytes.includes(iv.length)) {
    throw new McapiError('ERR_JWE_MALFORMED', `The JWE IV is ${iv.length} bytes; ${header.enc} takes ${algorithm.ivBytes.join(' or ')}.`);
  }
  if (tag.length !== 16) throw new McapiError('ERR_JWE_MALFORMED', `The JWE authentication tag is ${tag.length} bytes, not 16.`);
  return { header, aad: Buffer.from(headerPart, 'latin1'), encryptedKey, iv, ciphertext, tag };
}

// A sender writes the same protected header on every token, so decoded headers are cached by
// their encoded form (bounded; entries are never handed out, only copies).
const headerCache = new Map<string, Readonly<Record<string, unknown>>>();
const headerCacheSize = 64;

function cachedHeader(encoded: string): Readonly<Record<string, unknown>> {
  let header = headerCache.get(encoded);
  if (header === undefined) {
    header = Object.freeze(parseHeader(decodePart(encoded, 'protected header')));
    if (encoded.length <= 4096) {
      if (headerCache.size >= headerCacheSize) headerCache.delete(headerCache.keys().next().value!);
      headerCache.set(encoded, header);
    }
  }
  return header;
}

// A copy for the caller, who may change it; nested members (rare in JWE headers, and bounded
// by the header depth limit) deep-copied.
function copyHeader(raw: Readonly<Record<string, unknown>>): JweHeader {
  return copyJson(raw) as JweHeader;
}

function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || isJsonNumber(value)) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(copy, key, { value: copyJson(member), writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

function inflate(compressed: Buffer, cap: number): Buffer {
  try {
    return inflateRawSync(compressed, { maxOutputLength: cap });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new McapiError('ERR_JWE_TOO_LARGE', `The JWE payload inflates beyond ${cap} bytes (options.zip.maxDecompressedBytes).`);
    }
    throw new McapiError('ERR_JWE_MALFORMED', 'The JWE payload is not valid DEFLATE data.');
  }
}
