import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { certificateFingerprint, loadCertificate, loadPrivateKey, publicKeyFingerprint } from '@mcapi/keys';
import type { DecryptOptions } from './decrypt.js';
import { parseJsonPath } from './json-path.js';
import type { KidOption } from './key-ids.js';
import type { FieldLevelNames } from './payload-codecs.js';
import { type PayloadCipher, type PayloadMapping, type PayloadRule, createPayloadCipher } from './payload-cipher.js';

/** One `toEncrypt` / `toDecrypt` entry: `element` is read, `obj` is written. */
export interface MastercardMapping {
  element: string;
  obj: string;
}

/** One `paths` entry of a `mastercard-client-encryption` configuration. */
export interface MastercardPathConfig {
  /** A regular expression (as a string) tested against the request path. */
  path: string;
  toEncrypt?: readonly MastercardMapping[];
  toDecrypt?: readonly MastercardMapping[];
}

/** The configuration object of the `mastercard-client-encryption` npm package (JWE and field-level). */
export interface MastercardEncryptionConfig extends FieldLevelNames {
  paths: readonly MastercardPathConfig[];
  /** `'JWE'` for JWE; anything else is Mastercard's legacy field-level encryption. */
  mode?: string;
  encryptedValueFieldName: string;
  /** File path of Mastercard's encryption certificate (or PEM text with `useCertificateContent`). */
  encryptionCertificate?: string;
  /** File path of the private key (or PEM text with `useCertificateContent`). */
  privateKey?: string;
  keyStore?: string;
  keyStoreAlias?: string;
  keyStorePassword?: string;
  publicKeyFingerprintType?: 'certificate' | 'publicKey';
  dataEncoding?: 'hex' | 'base64';
  publicKeyFingerprint?: string;
  oaepPaddingDigestAlgorithm?: string;
  useCertificateContent?: boolean;
}

/** Options of {@link fromMastercardConfig} that Mastercard's configuration has no place for. */
export interface FromMastercardConfigOptions {
  /** JWE GCM IV length; default 12 (standard; Mastercard's Node library used 16). */
  ivLength?: 12 | 16;
  /** Extra decryption settings (allow-lists, size limit). */
  decryptOptions?: Omit<DecryptOptions, 'keys'>;
}

/**
 * Builds a payload cipher from the configuration object of the `mastercard-client-encryption`
 * npm package, so a migration changes one import. Reads the certificate and keys it names once.
 * Each `paths[].path` regex is tested against the request path; `toEncrypt`/`toDecrypt`
 * `element`/`obj` keep their meaning.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the configuration lacks `paths` or `encryptedValueFieldName`, a `path` is not a regex string, or the OAEP digest is neither SHA-256 nor SHA-512.
 *
 * @example
 * ```ts
 * const cipher = await fromMastercardConfig({
 *   mode: 'JWE',
 *   paths: [{ path: '/resource', toEncrypt: [{ element: '$', obj: '$' }], toDecrypt: [{ element: '$', obj: '$' }] }],
 *   encryptedValueFieldName: 'encryptedData',
 *   encryptionCertificate: './mastercard-encryption.pem',
 *   privateKey: './my-decryption-key.pem',
 * });
 * ```
 */
export async function fromMastercardConfig(
  config: MastercardEncryptionConfig,
  options: FromMastercardConfigOptions = {},
): Promise<PayloadCipher> {
  if (typeof config !== 'object' || config === null || !Array.isArray(config.paths)) {
    throw new McapiError('ERR_INVALID_OPTION', 'fromMastercardConfig: config.paths must be an array of { path, toEncrypt, toDecrypt }.');
  }
  const field = config.encryptedValueFieldName;
  if (typeof field !== 'string' || field === '') {
    throw new McapiError('ERR_INVALID_OPTION', 'fromMastercardConfig: config.encryptedValueFieldName is required (usually "encryptedData").');
  }
  const certificate = config.encryptionCertificate === undefined ? undefined : await readCertificate(config);
  const privateKey = await readPrivateKey(config);
  const rules: PayloadRule[] = config.paths.map((entry, index) => {
    if (typeof entry?.path !== 'string') {
      throw new McapiError('ERR_INVALID_OPTION', `fromMastercardConfig: config.paths[${index}].path must be a regex string.`);
    }
    return {
      path: new RegExp(entry.path),
      request: (entry.toEncrypt ?? []).map((mapping: MastercardMapping) => encryptMapping(mapping, field)),
      response: (entry.toDecrypt ?? []).map((mapping: MastercardMapping) => decryptMapping(mapping, field)),
    };
  });

  if (config.mode === 'JWE') {
    const kid = jweKid(config);
    return createPayloadCipher({
      rules,
      ...(certificate !== undefined && { encryptionKey: certificate }),
      ...(privateKey !== undefined && { decryptionKeys: privateKey }),
      ...(kid !== undefined && { kid }),
      ...(options.ivLength !== undefined && { ivLength: options.ivLength }),
      ...(options.decryptOptions !== undefined && { decryptOptions: options.decryptOptions }),
    });
  }
  const encoding = config.dataEncoding ?? 'hex';
  const oaep = (config.oaepPaddingDigestAlgorithm ?? 'SHA-256').toUpperCase().replace('-', '');
  if (oaep !== 'SHA256' && oaep !== 'SHA512') {
    throw new McapiError('ERR_INVALID_OPTION', 'fromMastercardConfig: config.oaepPaddingDigestAlgorithm must be SHA-256 or SHA-512.');
  }
  const fingerprint = config.publicKeyFingerprint ?? (certificate === undefined ? undefined : fieldLevelFingerprint(config, certificate));
  const { paths: _paths, mode: _mode, encryptedValueFieldName, ...names } = config;
  return createPayloadCipher({
    rules,
    fieldLevel: {
      ...pickNames(names),
      encryptedValueFieldName,
      encoding,
      oaepHash: oaep === 'SHA256' ? 'SHA-256' : 'SHA-512',
      ...(certificate !== undefined && { encryptionKey: certificate }),
      ...(privateKey !== undefined && { decryptionKeys: privateKey }),
      ...(fingerprint !== undefined && { publicKeyFingerprint: fingerprint }),
    },
  });
}

// Mastercard's element/obj paths: when `obj` ends with the encrypted value field name, the value
// goes there directly (the container is its parent).
function encryptMapping(mapping: MastercardMapping, field: string): PayloadMapping {
  const obj = splitField(mapping.obj, field);
  return { path: mapping.element, into: obj.container, field };
}

function decryptMapping(mapping: MastercardMapping, field: string): PayloadMapping {
  const element = splitField(mapping.element, field);
  return { path: element.container, into: mapping.obj, field };
}

function splitField(path: string, field: string): { container: string } {
  const { segments } = parseJsonPath(path);
  const last = segments.at(-1);
  if (last?.type === 'key' && last.key === field) {
    const dot = path.lastIndexOf('.');
    return { container: dot === -1 ? '$' : path.slice(0, dot) };
  }
  return { container: path };
}

function jweKid(config: MastercardEncryptionConfig): KidOption | undefined {
  if (config.publicKeyFingerprint !== undefined) return config.publicKeyFingerprint;
  if (config.publicKeyFingerprintType === 'certificate') {
    return config.dataEncoding === 'base64' ? 'certificate-sha256-base64' : 'certificate-sha256-hex';
  }
  return undefined;
}

function fieldLevelFingerprint(config: MastercardEncryptionConfig, certificate: X509Certificate): string | undefined {
  if (config.publicKeyFingerprintType === 'certificate') return certificateFingerprint(certificate, config.dataEncoding ?? 'hex');
  if (config.publicKeyFingerprintType === 'publicKey') return publicKeyFingerprint(certificate);
  return undefined;
}

async function readCertificate(config: MastercardEncryptionConfig): Promise<X509Certificate> {
  const source = config.encryptionCertificate!;
  return loadCertificate(source.includes('-----BEGIN') ? source : { path: source });
}

async function readPrivateKey(config: MastercardEncryptionConfig): Promise<KeyObject | undefined> {
  if (config.privateKey !== undefined) {
    return loadPrivateKey(config.privateKey.includes('-----BEGIN') ? config.privateKey : { path: config.privateKey });
  }
  if (config.keyStore !== undefined) {
    return loadPrivateKey(
      { path: config.keyStore },
      {
        ...(config.keyStorePassword !== undefined && { passphrase: config.keyStorePassword }),
        ...(config.keyStoreAlias !== undefined && { alias: config.keyStoreAlias }),
      },
    );
  }
  return undefined;
}

function pickNames(config: FieldLevelNames): FieldLevelNames {
  const keys = [
    'ivFieldName',
    'encryptedKeyFieldName',
    'publicKeyFingerprintFieldName',
    'oaepHashingAlgorithmFieldName',
    'ivHeaderName',
    'encryptedKeyHeaderName',
    'publicKeyFingerprintHeaderName',
    'oaepHashingAlgorithmHeaderName',
  ] as const;
  const names: FieldLevelNames = {};
  for (const key of keys) if (typeof config[key] === 'string') names[key] = config[key];
  return names;
}
