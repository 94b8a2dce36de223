import { McapiError } from '@mcapi/errors';
import { type KeyringEntry, updateKeyring } from '@mcapi/keys';
import { findEntry } from '../keyring/find-entry.js';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf, validateKeyringOptions } from '../keyring/keyring-options.js';

/** Options of {@link retireKey}. */
export interface RetireOptions extends KeyringOptions {
  id: string;
  /**
   * Also delete the key's files and remove it from the manifest. The caller confirms first (the
   * CLI asks, or takes `--yes`).
   */
  destroy?: boolean;
}

/** What `retire` did. */
export interface RetireResult extends KeySummary {
  destroyed: boolean;
}

/**
 * `mcapi-keytool retire`: `previous` (or abandoned `pending`) → `retired`, so it no longer
 * decrypts; never the active key. With `destroy`, the entry leaves the manifest first and its
 * files are deleted after, so a crash leaves an unreferenced file, never a dangling reference.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when there is no such key, it is the active one, or it is already retired (without `destroy`); the keyring's codes (`ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_LOCKED`).
 *
 * @example
 * ```ts
 * await retireKey({ keyring, id: 'rd-sandbox-20251120-77ab01' });
 * ```
 */
export async function retireKey(options: RetireOptions): Promise<RetireResult> {
  validateKeyringOptions(options, 'retire');
  const dir = options.keyring;
  const now = nowOf(options);
  let retired: KeyringEntry | undefined;
  await updateKeyring(dir, (next, files) => {
    const entry = findEntry(next, options.id, dir);
    if (entry.status === 'active') {
      throw new McapiError(
        'ERR_KEYRING_ENTRY',
        `${entry.id} is the active ${entry.purpose} key; activate its replacement first (mcapi-keytool rotate, import-cert, activate), then retire it.`,
      );
    }
    if (entry.status === 'retired' && options.destroy !== true) throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} is already retired.`);
    if (entry.status !== 'retired') {
      entry.status = 'retired';
      entry.retiredAt = now.toISOString();
    }
    retired = structuredClone(entry);
    if (options.destroy === true) {
      next.keys = next.keys.filter((key) => key !== entry);
      // Deleted once the manifest no longer names them.
      for (const file of [entry.privateKeyFile, entry.csrFile, entry.certificateFile]) if (file !== undefined) files.removeAfterCommit(file);
    }
    return next;
  });
  const entry = retired!;
  return { ...summarizeEntry(dir, entry, now), destroyed: options.destroy === true };
}
