import { KeyObject } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { loadEntry, readKeyringManifest, writeFileAtomic } from '@mcapi/keys';
import { findEntry } from '../keyring/find-entry.js';
import { type KeyringOptions, validateKeyringOptions } from '../keyring/keyring-options.js';
import { createPkcs12 } from '../pkcs12/create-pkcs12.js';

/** Options of {@link exportPkcs12}. */
export interface ExportP12Options extends KeyringOptions {
  id: string;
  /** Output file (written 0600, atomically). */
  out: string;
  /** The PKCS#12 password; required. Never logged. */
  p12Passphrase: string;
  /** friendlyName; default the key's recorded alias, else its id. */
  alias?: string;
  /** 3DES instead of AES-256, for old consumers. */
  legacy?: boolean;
  /** Replace an existing `out` file. */
  force?: boolean;
}

/** What `export-p12` wrote. */
export interface ExportP12Result {
  id: string;
  file: string;
  alias: string;
  encryption: string;
}

/**
 * `mcapi-keytool export-p12`: the key and its certificate chain as a password-protected
 * PKCS#12 that Mastercard's libraries (and OpenSSL 3 without `-legacy`) read.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` without `out`; `ERR_KEYRING_ENTRY` when there is no such key or it lacks a private key or certificate; `ERR_FILE_EXISTS` when `out` exists and `force` is not set; `ERR_KEY_PASSPHRASE` when the keyring passphrase is missing or wrong.
 *
 * @example
 * ```ts
 * await exportPkcs12({ keyring, passphrase, id, out: 'signing.p12', p12Passphrase, alias: 'keyalias' });
 * ```
 */
export async function exportPkcs12(options: ExportP12Options): Promise<ExportP12Result> {
  validateKeyringOptions(options, 'export-p12');
  if (typeof options.out !== 'string' || options.out === '') throw new McapiError('ERR_INVALID_OPTION', 'export-p12: out (--out FILE) is required.');
  const dir = options.keyring;
  const entry = findEntry(await readKeyringManifest(dir), options.id, dir);
  if (entry.privateKeyFile === undefined || entry.certificateFile === undefined) {
    throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} needs both a private key and a certificate to export as PKCS#12${entry.certificateFile === undefined ? ': import its certificate first (import-cert)' : ''}.`);
  }
  const loaded = await loadEntry(dir, entry, { ...(options.passphrase !== undefined && { passphrase: options.passphrase }), onWarning: () => undefined });
  const alias = options.alias ?? entry.alias ?? entry.id;
  // The entry has a key file, so the loaded key is a KeyObject (an HSM key never leaves its token).
  if (!(loaded.privateKey instanceof KeyObject)) throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} has no private key in a file to export.`);
  const p12 = createPkcs12({
    privateKey: loaded.privateKey,
    certificate: loaded.certificate!,
    chain: loaded.chain,
    alias,
    password: options.p12Passphrase,
    legacy: options.legacy === true,
  });
  await writeFileAtomic(options.out, p12, { mode: 0o600, overwrite: options.force === true });
  return {
    id: entry.id,
    file: options.out,
    alias,
    encryption: options.legacy === true ? 'pbeWithSHAAnd3-KeyTripleDES-CBC (legacy)' : 'PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC',
  };
}
