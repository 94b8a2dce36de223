import { type KeyObject, createPrivateKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type KeySource, type WarningHandler, emitProcessWarning, isPem, readSource, warnIfKeyFileExposed } from './key-source.js';
import { withEnvironmentPassphrase } from './passphrase-option.js';
import { parsePkcs12 } from './pkcs12.js';

/** Options of {@link loadPrivateKey}. */
export interface LoadPrivateKeyOptions {
  /** For encrypted PKCS#8 and PKCS#12. Never logged. */
  passphrase?: string;
  /** Read the passphrase from this environment variable instead (exclusive with `passphrase`). */
  passphraseEnv?: string;
  /** PKCS#12 entry (friendlyName); optional when the file holds one key. */
  alias?: string;
  /** Non-fatal findings (a key file readable by others). Default: `process.emitWarning`. */
  onWarning?: WarningHandler;
}

// The DER encodings tried, in order: the common unencrypted forms first, PKCS#12 last because
// its parse is the slowest and needs a password.
const derTypes = ['pkcs8', 'pkcs1', 'sec1'] as const;
const formatsTried = 'PEM (PKCS#1, PKCS#8, encrypted PKCS#8, SEC1), DER (PKCS#1, PKCS#8, SEC1) and PKCS#12';

/**
 * Loads a private key into a `KeyObject`, once; reuse the result for every operation.
 * Reads PEM PKCS#1 / PKCS#8 / encrypted PKCS#8 / SEC1, DER PKCS#1 / PKCS#8 / SEC1, and PKCS#12
 * (modern and legacy RC2-40/3DES).
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the source cannot be read or holds no private key in a supported format.
 * @throws {McapiError} `ERR_KEY_PASSPHRASE` when the key or PKCS#12 file is encrypted and the passphrase is missing or wrong.
 * @throws {McapiError} `ERR_KEY_ALIAS` when a PKCS#12 file has no entry with the given `alias`.
 * @throws {McapiError} `ERR_INVALID_OPTION` when `source` is not a path, PEM text or bytes.
 *
 * @example
 * ```ts
 * const signingKey = await loadPrivateKey({ path: './signing.p12' }, { passphrase: process.env.P12_PASSWORD, alias: 'keyalias' });
 * const decryptionKey = await loadPrivateKey(pemText);
 * ```
 */
export async function loadPrivateKey(source: KeySource, options: LoadPrivateKeyOptions = {}): Promise<KeyObject> {
  const { bytes, path } = await readSource(source, 'private key');
  if (path !== undefined) await warnIfKeyFileExposed(path, options.onWarning ?? emitProcessWarning);
  return parsePrivateKey(bytes, options);
}

/** Synchronous core of {@link loadPrivateKey}, for bytes already in memory.
 *
 * @throws {McapiError} as {@link loadPrivateKey} (`ERR_KEY_FORMAT`, `ERR_KEY_PASSPHRASE`, `ERR_KEY_ALIAS`), for bytes already read.
 */
export function parsePrivateKey(bytes: Uint8Array, givenOptions: LoadPrivateKeyOptions = {}): KeyObject {
  const options = withEnvironmentPassphrase(givenOptions);
  if (bytes.byteLength === 0) {
    throw new McapiError('ERR_KEY_FORMAT', `The key data is empty. Formats read: ${formatsTried}.`);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPem(bytes)) return parsePemKey(buffer, options.passphrase);

  let lastError: unknown;
  for (const type of derTypes) {
    try {
      return createPrivateKey({ key: buffer, format: 'der', type });
    } catch (error) {
      lastError = error;
    }
  }
  // Encrypted PKCS#8 in DER form needs the passphrase to even be recognised.
  if (options.passphrase !== undefined) {
    try {
      return createPrivateKey({ key: buffer, format: 'der', type: 'pkcs8', passphrase: options.passphrase });
    } catch (error) {
      lastError = error;
    }
  }
  if (isPkcs12(buffer)) {
    return parsePkcs12(bytes, {
      passphrase: requirePassphrase(options.passphrase, 'PKCS#12 file'),
      ...(options.alias !== undefined && { alias: options.alias }),
    }).privateKey;
  }
  throw new McapiError('ERR_KEY_FORMAT', `The data is not a private key. Formats tried: ${formatsTried}.`, {
    cause: lastError,
  });
}

function parsePemKey(pem: Buffer, passphrase: string | undefined): KeyObject {
  const text = pem.toString('utf8');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new McapiError(
      'ERR_KEY_FORMAT',
      `The PEM text holds no private key block (found: ${pemLabels(text)}). Formats read: ${formatsTried}.`,
    );
  }
  const encrypted = text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || text.includes('Proc-Type: 4,ENCRYPTED');
  try {
    return createPrivateKey(
      encrypted ? { key: pem, format: 'pem', passphrase: requirePassphrase(passphrase, 'encrypted key') } : pem,
    );
  } catch (cause) {
    if (cause instanceof McapiError) throw cause;
    if (encrypted) throw new McapiError('ERR_KEY_PASSPHRASE', 'The passphrase of the encrypted private key is wrong.', { cause });
    throw new McapiError('ERR_KEY_FORMAT', 'The PEM private key could not be parsed; is the file complete?', { cause });
  }
}

function requirePassphrase(passphrase: string | undefined, what: string): string {
  if (passphrase === undefined || passphrase === '') {
    // Empty passwords are refused too: an unprotected PKCS#12 is not what Mastercard issues.
    throw new McapiError('ERR_KEY_PASSPHRASE', `This ${what} is password-protected: pass options.passphrase.`);
  }
  return passphrase;
}

/**
 * True when DER bytes look like PKCS#12: a SEQUENCE whose first element is INTEGER 3 (the PFX
 * version). A cheap check to pick the parser; {@link parsePkcs12} still validates everything.
 *
 * @example
 * ```ts
 * if (isPkcs12(bytes)) askForThePassword();
 * ```
 */
export function isPkcs12(der: Uint8Array): boolean {
  if (der[0] !== 0x30) return false;
  const lengthOctets = (der[1] ?? 0) & 0x80 ? ((der[1] ?? 0) & 0x7f) + 2 : 2;
  return der[lengthOctets] === 0x02 && der[lengthOctets + 1] === 0x01 && der[lengthOctets + 2] === 0x03;
}

function pemLabels(text: string): string {
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1]);
  return labels.length > 0 ? labels.join(', ') : 'no PEM blocks';
}
