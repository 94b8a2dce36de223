import { type KeyObject, type X509Certificate, randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { writeFileAtomic } from './atomic-file.js';
import { certificatePath, csrPath, encodeCertificateChainPem, encodePrivateKeyPem, privateKeyPath } from './keyring-paths.js';
import { type FileLockHooks, type FileLockOptions, withFileLockHooked } from './lock.js';
import { type KeyringManifest, isContainedRelativePath, isValidKeyId, manifestFileName, parseKeyringManifest } from './manifest.js';
import { readKeyringManifest, writeKeyringManifest } from './store.js';

/**
 * Writes key material into the keyring during an {@link updateKeyring} transaction. Every file
 * is written atomically, 0600, and never over an existing file (a taken name gets a fresh
 * suffix), before the manifest that references it; each method returns the path to record in
 * the entry, relative to the keyring.
 */
export interface KeyringFiles {
  /** PKCS#8 PEM, encrypted (AES-256-CBC, PBKDF2) when `passphrase` is given. */
  writePrivateKey(id: string, privateKey: KeyObject, passphrase?: string): Promise<string>;
  /** The certificate, then its chain, as one PEM file. */
  writeCertificate(id: string, certificate: X509Certificate, chain?: readonly X509Certificate[]): Promise<string>;
  /** A PKCS#10 CSR in PEM. */
  writeCsr(id: string, csrPem: string): Promise<string>;
  /**
   * Deletes a file of the keyring once the new manifest is written (a replaced certificate, a
   * destroyed key). A crash in between leaves an unreferenced file, never a dangling reference.
   */
  removeAfterCommit(file: string): void;
}

/** Options of {@link updateKeyring}. */
export interface UpdateKeyringOptions extends FileLockOptions {}

/**
 * The change of a {@link updateKeyring} transaction: gets a private copy of the manifest as read
 * under the lock, and returns the new manifest (or changes the copy and returns nothing).
 */
export type KeyringChange = (
  manifest: KeyringManifest,
  files: KeyringFiles,
  // biome-ignore lint/suspicious/noConfusingVoidType: a change that edits the copy in place returns nothing (an async one, Promise<void>).
) => KeyringManifest | void | Promise<KeyringManifest | void>;

/** The lock file of a keyring directory. */
export const keyringLockFile = (dir: string): string => join(dir, 'keyring.lock');

/**
 * The one way to change a keyring: a read-modify-write transaction under the keyring's lock
 * file (`keyring.lock`, shared by every process that writes the keyring).
 *
 * 1. takes the lock (a lock left by a killed process is taken over by exactly one waiter);
 * 2. re-reads `keyring.json`, so `change` always sees every earlier committed update;
 * 3. runs `change`, which writes the files new entries need through `files` (staged: written
 *    and synced before the manifest names them);
 * 4. validates the result and replaces `keyring.json` atomically (the commit);
 * 5. deletes the files `change` asked to remove; releases the lock.
 *
 * When `change` or the validation throws, the files it staged are deleted and the manifest is
 * unchanged. A kill at any moment leaves the old or the new manifest, each with all its files.
 *
 * Check conditions that depend on the keyring (duplicates, statuses) inside `change`, against
 * the manifest it receives; do slow work (key generation, PKCS#12 parsing) before calling.
 *
 * @throws `ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_INVALID` (before or after `change`: nothing is
 *   written), `ERR_KEYRING_LOCKED` (another process kept the lock past `timeoutMs`), and whatever
 *   `change` throws.
 * @example
 * ```ts
 * const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
 * await updateKeyring('./.mcapi/keyring', async (manifest, files) => {
 *   manifest.keys.push({
 *     id: 'rd-sandbox-1', purpose: 'response-decryption', environment: 'sandbox', status: 'pending',
 *     createdAt: new Date().toISOString(),
 *     privateKeyFile: await files.writePrivateKey('rd-sandbox-1', privateKey),
 *     publicKeyFingerprint: publicKeyFingerprint(privateKey),
 *   });
 * });
 * ```
 */
export async function updateKeyring(dir: string, change: KeyringChange, options: UpdateKeyringOptions = {}): Promise<KeyringManifest> {
  return updateKeyringHooked(dir, change, options, {});
}

/** {@link updateKeyring} with the lock's test seams. */
export async function updateKeyringHooked(
  dir: string,
  change: KeyringChange,
  options: UpdateKeyringOptions,
  hooks: FileLockHooks,
): Promise<KeyringManifest> {
  return withFileLockHooked(
    keyringLockFile(dir),
    async () => {
      const current = await readKeyringManifest(dir);
      const files = stagingArea(dir);
      let committing = false;
      try {
        const copy = structuredClone(current);
        const next = (await change(copy, files)) ?? copy;
        parseKeyringManifest(next, join(dir, manifestFileName)); // a broken result fails here, before the commit
        files.assertRemovable(next);
        committing = true;
        await writeKeyringManifest(dir, next);
        await files.removeScheduled();
        return next;
      } catch (error) {
        // Once the manifest may have been replaced, staged files may be referenced: keep them.
        if (!committing) await files.discardStaged();
        throw error;
      }
    },
    options,
    hooks,
  );
}

interface StagingArea extends KeyringFiles {
  assertRemovable(next: KeyringManifest): void;
  removeScheduled(): Promise<void>;
  discardStaged(): Promise<void>;
}

function stagingArea(dir: string): StagingArea {
  const staged: string[] = [];
  const scheduled = new Set<string>();
  const stage = async (id: string, path: (id: string) => string, data: string): Promise<string> => {
    if (!isValidKeyId(id)) throw new McapiError('ERR_KEYRING_INVALID', `"${String(id)}" is not a valid key id (letters, digits, . _ -).`);
    let file = path(id);
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFileAtomic(join(dir, file), data);
        staged.push(file);
        return file;
      } catch (error) {
        // The name is taken (a file left by a crash, or the file being replaced): a fresh one.
        if (!(error instanceof McapiError && error.code === 'ERR_FILE_EXISTS') || attempt === 3) throw error;
        file = path(`${id}.${randomBytes(4).toString('hex')}`);
      }
    }
  };
  return {
    writePrivateKey: (id, privateKey, passphrase) => stage(id, privateKeyPath, encodePrivateKeyPem(privateKey, passphrase)),
    writeCertificate: (id, certificate, chain = []) => stage(id, certificatePath, encodeCertificateChainPem(certificate, chain)),
    writeCsr: (id, csrPem) => stage(id, csrPath, csrPem),
    removeAfterCommit(file) {
      if (!isContainedRelativePath(file)) throw new McapiError('ERR_KEYRING_INVALID', `${file} is not a path inside the keyring.`);
      scheduled.add(file);
    },
    assertRemovable(next) {
      for (const entry of next.keys) {
        for (const file of [entry.privateKeyFile, entry.certificateFile, entry.csrFile]) {
          if (file !== undefined && scheduled.has(file)) {
            throw new McapiError('ERR_KEYRING_INVALID', `${file} is still referenced by ${entry.id}; it cannot be removed.`);
          }
        }
      }
    },
    async removeScheduled() {
      for (const file of scheduled) await unlink(join(dir, file)).catch(() => undefined); // unreferenced now: best effort
    },
    async discardStaged() {
      for (const file of staged) await unlink(join(dir, file)).catch(() => undefined);
    },
  };
}
