import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import {
  type KeyEnvironment,
  type KeyPurpose,
  type KeyringEntry,
  type KeyringFiles,
  type KeyringManifest,
  updateKeyring,
  writeFileAtomic,
} from '@mcapi/keys';
import { type DistinguishedName, formatDistinguishedName } from '../x509/distinguished-name.js';
import { type KeySummary, summarizeEntry } from './key-summary.js';

// What both ways of making a pending key (key file, HSM token) share: the `--out` copy of the CSR,
// the keyring transaction that records the key, and the result they return.

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

/** A new key and its CSR, made; what the manifest records besides where the private key is. */
export interface MadePendingKey {
  dir: string;
  id: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  subject: DistinguishedName;
  now: Date;
  csr: string;
  publicKeyFingerprint: string;
  /** Extra copy of the CSR outside the keyring. */
  out?: string;
  force: boolean;
}

/** Where the private key is kept: a key file written in the transaction, or a token's reference. */
export type PrivateKeyPlace = Pick<KeyringEntry, 'privateKeyFile' | 'privateKeyEncrypted' | 'privateKeyRef'>;

/**
 * Records a pending key in one keyring transaction: `placeKey` writes the private key (or names
 * the token's), the CSR is staged, the `--out` copy is written, and only then does the manifest
 * name them; a kill at any moment leaves at worst an unreferenced file, never a manifest entry
 * without its key. The `--out` copy is public (a CSR); if it cannot be written, the transaction
 * fails and takes the staged files with it.
 */
export async function recordPendingKey(
  made: MadePendingKey,
  placeKey: (manifest: KeyringManifest, files: KeyringFiles) => Promise<PrivateKeyPlace>,
): Promise<PendingKeyResult> {
  let entry: KeyringEntry | undefined;
  await updateKeyring(made.dir, async (manifest, files) => {
    const place = await placeKey(manifest, files);
    entry = {
      id: made.id,
      purpose: made.purpose,
      environment: made.environment,
      status: 'pending',
      createdAt: made.now.toISOString(),
      subject: formatDistinguishedName(made.subject),
      ...place,
      csrFile: await files.writeCsr(made.id, made.csr),
      publicKeyFingerprint: made.publicKeyFingerprint,
    };
    if (made.out !== undefined) await writeFileAtomic(made.out, made.csr, { mode: 0o644, overwrite: made.force });
    manifest.keys.push(entry);
  });
  return {
    ...summarizeEntry(made.dir, entry!, made.now),
    csr: made.csr,
    csrFile: join(made.dir, entry!.csrFile!),
    ...(made.out !== undefined && { outFile: made.out }),
  };
}
