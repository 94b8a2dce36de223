import { type KeyEnvironment, type KeyPurpose, readKeyringManifest } from '@mcapi/keys';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';

/** Options of {@link listKeys}. */
export interface ListOptions extends KeyringOptions {
  purpose?: KeyPurpose;
  environment?: KeyEnvironment;
}

/**
 * `mcapi-keytool list`: every key of the keyring (optionally of one purpose or environment),
 * in manifest order.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for an unknown purpose or environment; `ERR_KEYRING_NOT_FOUND` / `ERR_KEYRING_INVALID` when there is no readable keyring.
 *
 * @example
 * ```ts
 * for (const key of await listKeys({ keyring })) console.log(key.id, key.status, key.expiresInDays);
 * ```
 */
export async function listKeys(options: ListOptions): Promise<KeySummary[]> {
  validateKeyringOptions(options, 'list');
  const purpose = options.purpose === undefined ? undefined : validatePurpose(options.purpose);
  const environment = options.environment === undefined ? undefined : validateEnvironment(options.environment);
  const now = nowOf(options);
  const manifest = await readKeyringManifest(options.keyring);
  return manifest.keys
    .filter((key) => (purpose === undefined || key.purpose === purpose) && (environment === undefined || key.environment === environment))
    .map((key) => summarizeEntry(options.keyring, key, now));
}
