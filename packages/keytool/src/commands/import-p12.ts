import { McapiError } from '@mcapi/errors';
import {
  type KeyEnvironment,
  type KeyPurpose,
  type KeyringEntry,
  certificateFacts,
  certificateFingerprint,
  loadPkcs12,
  publicKeyFingerprint,
  updateKeyring,
} from '@mcapi/keys';
import { assertPassphraseFitsKeyring } from '../keyring/keyring-passphrase.js';
import { newKeyId } from '../keyring/key-id.js';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';

/** Options of {@link importPkcs12}. */
export interface ImportP12Options extends KeyringOptions {
  /** The `.p12` file downloaded from Mastercard Developers (modern or legacy RC2/3DES). */
  file: string;
  /** The file's password (sandbox downloads often use `keystorepassword`). Never logged. */
  p12Passphrase: string;
  purpose: KeyPurpose;
  /** Default sandbox. */
  environment?: KeyEnvironment;
  /** friendlyName of the key (sandbox files often use `keyalias`); optional when the file holds one. */
  alias?: string;
  /** OAuth 1.0a consumer key, for signing keys. */
  consumerKey?: string;
}

/**
 * `mcapi-keytool import-p12`: imports a key and its certificate from PKCS#12 as a ready
 * (pending, certified) key; the key is re-encrypted with the keyring passphrase, if any.
 *
 * @throws {McapiError} `ERR_KEY_PASSPHRASE` when the PKCS#12 password is missing (or wrong); `ERR_KEYRING_ENTRY` when the key is already in the keyring; `ERR_INVALID_OPTION` for a purpose or option that does not apply; `@mcapi/keys`' PKCS#12 codes (`ERR_KEY_FORMAT`, `ERR_KEY_ALIAS`, `ERR_KEY_UNSUPPORTED`); the keyring's codes (`ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_LOCKED`).
 *
 * @example
 * ```ts
 * await importPkcs12({ keyring, file: 'sandbox.p12', p12Passphrase, purpose: 'signing', alias: 'keyalias', consumerKey });
 * ```
 */
export async function importPkcs12(options: ImportP12Options): Promise<KeySummary> {
  validateKeyringOptions(options, 'import-p12');
  const purpose = validatePurpose(options.purpose);
  const environment = validateEnvironment(options.environment);
  if (purpose === 'request-encryption') {
    throw new McapiError('ERR_INVALID_OPTION', 'request-encryption keys are Mastercard\'s public certificates: use import-cert --purpose request-encryption.');
  }
  if (options.consumerKey !== undefined && purpose !== 'signing') {
    throw new McapiError('ERR_INVALID_OPTION', 'consumerKey (--consumer-key) applies to signing keys.');
  }
  if (typeof options.p12Passphrase !== 'string' || options.p12Passphrase === '') {
    throw new McapiError('ERR_KEY_PASSPHRASE', 'The PKCS#12 password is needed (prompt, --p12-passphrase-file or --p12-passphrase-env).');
  }
  const dir = options.keyring;
  const now = nowOf(options);
  // Parsed before the transaction (PKCS#12 key derivation is slow); checked against the keyring under its lock.
  const contents = await loadPkcs12(
    { path: options.file },
    { passphrase: options.p12Passphrase, ...(options.alias !== undefined && { alias: options.alias }) },
  );
  const fingerprint = publicKeyFingerprint(contents.privateKey);
  const id = newKeyId(purpose, environment, now);
  const alias = options.alias ?? contents.alias;
  let entry: KeyringEntry | undefined;
  await updateKeyring(dir, async (manifest, files) => {
    await assertPassphraseFitsKeyring(dir, manifest, options.passphrase);
    const duplicate = manifest.keys.find((key) => key.publicKeyFingerprint === fingerprint);
    if (duplicate !== undefined) {
      throw new McapiError('ERR_KEYRING_ENTRY', `This key is already in the keyring as ${duplicate.id} (${duplicate.status}).`);
    }
    // Files staged first, manifest last (crash safety).
    entry = {
      id,
      purpose,
      environment,
      status: 'pending',
      createdAt: now.toISOString(),
      privateKeyFile: await files.writePrivateKey(id, contents.privateKey, options.passphrase),
      ...(options.passphrase !== undefined && { privateKeyEncrypted: true }),
      certificateFile: await files.writeCertificate(id, contents.certificate, contents.chain),
      publicKeyFingerprint: fingerprint,
      certificateFingerprint: certificateFingerprint(contents.certificate),
      ...certificateFacts(contents.certificate),
      ...(alias !== undefined && { alias }),
      ...(options.consumerKey !== undefined && { consumerKey: options.consumerKey }),
    };
    manifest.keys.push(entry);
  });
  return summarizeEntry(dir, entry!, now);
}
