import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { writeFileAtomic } from './atomic-file.js';
import { withKeyringLock } from './lock.js';
import { type KeyringManifest, emptyKeyringManifest, manifestFileName, parseKeyringManifest } from './manifest.js';

/**
 * Reads and validates `keyring.json` of a keyring directory.
 *
 * @example
 * ```ts
 * const { keys } = await readKeyringManifest('./.mcapi/keyring');
 * ```
 */
export async function readKeyringManifest(dir: string): Promise<KeyringManifest> {
  const path = join(dir, manifestFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      // No command names here: the caller (keytool, an application) says how to create one.
      throw new McapiError('ERR_KEYRING_NOT_FOUND', `No keyring at ${dir} (no ${manifestFileName}): check the path, or create the keyring first.`, {
        cause,
      });
    }
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new McapiError('ERR_KEYRING_INVALID', `Keyring manifest ${path} is not valid JSON.`, { cause });
  }
  return parseKeyringManifest(json, path);
}

/**
 * Validates and writes the manifest atomically (0600). Callers that read, change and write must
 * hold the lock: use {@link updateKeyring}.
 */
export async function writeKeyringManifest(dir: string, manifest: KeyringManifest): Promise<void> {
  parseKeyringManifest(manifest, join(dir, manifestFileName));
  await writeFileAtomic(join(dir, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`, { overwrite: true });
}

/**
 * Creates a keyring: the directory (0700) and an empty manifest. Refuses an existing keyring.
 *
 * @example
 * ```ts
 * await initKeyring('./.mcapi/keyring');
 * ```
 */
export async function initKeyring(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if ((info.mode & 0o077) !== 0 && process.platform !== 'win32') {
    await chmod(dir, 0o700);
  }
  try {
    await writeFileAtomic(join(dir, manifestFileName), `${JSON.stringify(emptyKeyringManifest(), null, 2)}\n`);
  } catch (cause) {
    if (cause instanceof McapiError && cause.code === 'ERR_FILE_EXISTS') {
      throw new McapiError('ERR_FILE_EXISTS', `A keyring already exists at ${dir}; it was left untouched.`, { cause });
    }
    throw cause;
  }
}

/**
 * Read-modify-write of the manifest under the keyring lock. `change` receives a copy and returns
 * the new manifest (or mutates and returns it); the result is validated before it is written, so a
 * bug in `change` cannot leave a broken keyring. Write the key files the new manifest references
 * *before* calling this: the manifest must never point at a file that does not exist yet.
 *
 * @example
 * ```ts
 * await updateKeyring(dir, (manifest) => {
 *   manifest.keys.push(entry);
 *   return manifest;
 * });
 * ```
 */
export async function updateKeyring(
  dir: string,
  change: (manifest: KeyringManifest) => KeyringManifest | Promise<KeyringManifest>,
): Promise<KeyringManifest> {
  return withKeyringLock(dir, async () => {
    const current = await readKeyringManifest(dir);
    const next = await change(structuredClone(current));
    await writeKeyringManifest(dir, next);
    return next;
  });
}
