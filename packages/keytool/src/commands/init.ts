import { initKeyring } from '@mcapi/keys';

/** Options of {@link initKeyringDirectory}. */
export interface InitOptions {
  /** The keyring directory to create. */
  keyring: string;
}

/** What `init` created. */
export interface InitResult {
  /** The keyring directory (absolute when resolved by the CLI). */
  id: string;
  keyring: string;
}

/**
 * `mcapi-keytool init`: creates a keyring (directory 0700, empty manifest 0600). Refuses an
 * existing keyring (`ERR_FILE_EXISTS`).
 *
 * @throws {McapiError} `ERR_FILE_EXISTS` when the directory already holds a keyring (it is left untouched).
 *
 * @example
 * ```ts
 * await initKeyringDirectory({ keyring: './.mcapi/keyring' });
 * ```
 */
export async function initKeyringDirectory(options: InitOptions): Promise<InitResult> {
  await initKeyring(options.keyring);
  return { id: options.keyring, keyring: options.keyring };
}
