import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import type { ContentEncryption } from './algorithms.js';
import { type DecryptOptions, decrypt, validateZipOption } from './decrypt.js';
import { type DecryptionKeys, toKeySet } from './decryption-keys.js';
import { encryptSync } from './encrypt.js';
import { type FieldLevelEncoding, type FieldLevelEncrypted, decryptField, encryptField } from './field-level.js';
import type { KidOption } from './key-ids.js';
import { isJsonObject } from './json-path.js';
import { rsaPublicKey } from './rsa-oaep.js';

/** Headers as plain lowercase-or-not names; lookups are case-insensitive. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Turns a value into the members of its encrypted container, and back. */
export interface PayloadCodec {
  seal(json: string, field: string): { members: Record<string, unknown>; headers: Record<string, string> };
  /** `undefined` when the container holds no encrypted value (skipped, not an error). */
  open(container: unknown, field: string, headers: HeaderRecord): Promise<Uint8Array> | undefined;
}

/** JWE settings shared by the payload cipher. */
export interface JweCodecOptions {
  encryptionKey?: KeyObject | X509Certificate;
  kid?: KidOption;
  enc?: ContentEncryption;
  ivLength?: 12 | 16;
  cty?: string | false;
  /**
   * Response-decryption keys. A function is called for every response, so a keyring `reload()`
   * after a rotation is picked up: `() => keyring.decryptionKeys('sandbox')`.
   */
  decryptionKeys?: DecryptionKeys | (() => DecryptionKeys);
  decryptOptions?: Omit<DecryptOptions, 'keys'>;
}

/** Resolves a keys option that may be a function; fixed keys are validated once, here. */
export function keysResolver(keys: DecryptionKeys | (() => DecryptionKeys) | undefined, option: string): (() => DecryptionKeys) | undefined {
  if (keys === undefined) return undefined;
  if (typeof keys === 'function') return keys;
  toKeySet(keys, option);
  return () => keys;
}

export function jweCodec(options: JweCodecOptions): PayloadCodec {
  if (options.encryptionKey !== undefined) rsaPublicKey(options.encryptionKey, 'options.encryptionKey');
  validateZipOption(options.decryptOptions?.zip, 'options.decryptOptions.zip');
  const decryptionKeys = keysResolver(options.decryptionKeys, 'options.decryptionKeys');
  const encryptOptions = {
    key: options.encryptionKey!,
    ...(options.kid !== undefined && { kid: options.kid }),
    ...(options.enc !== undefined && { enc: options.enc }),
    ...(options.ivLength !== undefined && { ivLength: options.ivLength }),
    ...(options.cty !== undefined && { cty: options.cty }),
  };
  return {
    seal(json, field) {
      if (options.encryptionKey === undefined) throw missing('encryptionKey', 'encrypt requests');
      return { members: { [field]: encryptSync(json, encryptOptions) }, headers: {} };
    },
    open(container, field) {
      if (!isJsonObject(container) || !Object.hasOwn(container, field) || typeof container[field] !== 'string') return undefined;
      if (decryptionKeys === undefined) throw missing('decryptionKeys', 'decrypt responses');
      return decrypt(container[field], { ...options.decryptOptions, keys: decryptionKeys() }).then((result) => result.plaintext);
    },
  };
}

/** Names of the legacy field-level members, in the body or in HTTP headers. */
export interface FieldLevelNames {
  encryptedValueFieldName?: string;
  ivFieldName?: string;
  encryptedKeyFieldName?: string;
  publicKeyFingerprintFieldName?: string;
  oaepHashingAlgorithmFieldName?: string;
  /** When both `ivHeaderName` and `encryptedKeyHeaderName` are set, the parameters travel in headers. */
  ivHeaderName?: string;
  encryptedKeyHeaderName?: string;
  publicKeyFingerprintHeaderName?: string;
  oaepHashingAlgorithmHeaderName?: string;
}

/** Legacy field-level encryption settings of the payload cipher. */
export interface FieldLevelCodecOptions extends FieldLevelNames {
  encryptionKey?: KeyObject | X509Certificate;
  /** Private keys, or a function returning them (called per response). */
  decryptionKeys?: DecryptionKeys | (() => DecryptionKeys);
  encoding?: FieldLevelEncoding;
  oaepHash?: 'SHA-256' | 'SHA-512';
  publicKeyFingerprint?: string;
}

export function fieldLevelCodec(options: FieldLevelCodecOptions): PayloadCodec {
  if (options.encryptionKey !== undefined) rsaPublicKey(options.encryptionKey, 'fieldLevel.encryptionKey');
  const decryptionKeys = keysResolver(options.decryptionKeys, 'fieldLevel.decryptionKeys');
  const names = {
    iv: options.ivFieldName ?? 'iv',
    encryptedKey: options.encryptedKeyFieldName ?? 'encryptedKey',
    fingerprint: options.publicKeyFingerprintFieldName ?? 'publicKeyFingerprint',
    oaep: options.oaepHashingAlgorithmFieldName ?? 'oaepHashingAlgorithm',
  };
  const inHeaders = options.ivHeaderName !== undefined && options.encryptedKeyHeaderName !== undefined;
  const encoding = options.encoding ?? 'hex';
  return {
    seal(json, field) {
      if (options.encryptionKey === undefined) throw missing('fieldLevel.encryptionKey', 'encrypt requests');
      const sealed = encryptField(json, {
        key: options.encryptionKey,
        encoding,
        ...(options.oaepHash !== undefined && { oaepHash: options.oaepHash }),
        ...(options.publicKeyFingerprint !== undefined && { publicKeyFingerprint: options.publicKeyFingerprint }),
      });
      if (inHeaders) {
        const headers: Record<string, string> = {
          [options.ivHeaderName!]: sealed.iv,
          [options.encryptedKeyHeaderName!]: sealed.encryptedKey,
        };
        if (options.publicKeyFingerprintHeaderName !== undefined) headers[options.publicKeyFingerprintHeaderName] = sealed.publicKeyFingerprint;
        if (options.oaepHashingAlgorithmHeaderName !== undefined) headers[options.oaepHashingAlgorithmHeaderName] = sealed.oaepHashingAlgorithm;
        return { members: { [field]: sealed.encryptedValue }, headers };
      }
      return {
        members: {
          [field]: sealed.encryptedValue,
          [names.iv]: sealed.iv,
          [names.encryptedKey]: sealed.encryptedKey,
          [names.fingerprint]: sealed.publicKeyFingerprint,
          [names.oaep]: sealed.oaepHashingAlgorithm,
        },
        headers: {},
      };
    },
    open(container, field, headers) {
      if (!isJsonObject(container) || typeof container[field] !== 'string') return undefined;
      if (decryptionKeys === undefined) throw missing('fieldLevel.decryptionKeys', 'decrypt responses');
      const source = inHeaders
        ? {
            iv: header(headers, options.ivHeaderName!),
            encryptedKey: header(headers, options.encryptedKeyHeaderName!),
            oaepHashingAlgorithm: options.oaepHashingAlgorithmHeaderName && header(headers, options.oaepHashingAlgorithmHeaderName),
            publicKeyFingerprint: options.publicKeyFingerprintHeaderName && header(headers, options.publicKeyFingerprintHeaderName),
          }
        : {
            iv: container[names.iv],
            encryptedKey: container[names.encryptedKey],
            oaepHashingAlgorithm: container[names.oaep],
            publicKeyFingerprint: container[names.fingerprint],
          };
      return decryptField({ ...(source as unknown as FieldLevelEncrypted), encryptedValue: container[field] }, {
        keys: decryptionKeys(),
        encoding,
        ...(options.oaepHash !== undefined && { oaepHash: options.oaepHash }),
      });
    },
  };
}

function header(headers: HeaderRecord, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function missing(option: string, what: string): McapiError {
  return new McapiError('ERR_INVALID_OPTION', `The payload cipher has no ${option}: it is needed to ${what}.`);
}
