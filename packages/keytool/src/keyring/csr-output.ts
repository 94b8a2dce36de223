import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import type { KeyringEntry } from '@mcapi/keys';
import { type KeySummary, summarizeEntry } from './key-summary.js';

// What both ways of making a pending key (key file, HSM token) share: the `--out` copy of the CSR
// and the result they return.

/** A new pending key and its CSR. */
export interface PendingKeyResult extends KeySummary {
  csr: string;
  csrFile: string;
  outFile?: string;
}

/**
 * Refuses an existing `--out` before the slow key generation, not after it.
 *
 * @throws {McapiError} `ERR_FILE_EXISTS` when `out` exists and `force` is not set.
 */
export async function refuseExistingOut(out: string | undefined, force: boolean | undefined): Promise<void> {
  if (out === undefined || force) return;
  try {
    await stat(out);
  } catch {
    return;
  }
  throw new McapiError('ERR_FILE_EXISTS', `${out} already exists; it was left untouched. Use --force to replace it.`);
}

/** The result of a pending key recorded in `dir`: its summary, the CSR, where it was written. */
export function pendingKeyResult(dir: string, entry: KeyringEntry, now: Date, csr: string, out: string | undefined): PendingKeyResult {
  return {
    ...summarizeEntry(dir, entry, now),
    csr,
    csrFile: join(dir, entry.csrFile!),
    ...(out !== undefined && { outFile: out }),
  };
}
