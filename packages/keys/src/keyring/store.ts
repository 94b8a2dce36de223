import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { writeFileAtomic } from './atomic-file.js';
import { type KeyringManifest, emptyKeyringManifest, manifestFileName, parseKeyringManifest } from './manifest.js';

/**
 * Reads and validates `keyring.json` of a keyring directory.
 *
 * @throws {McapiError} `ERR_KEYRING_NOT_FOUND` when the directory holds no keyring; `ERR_KEYRING_INVALID` when its manifest cannot be read as one.
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
 * Validates and writes the manifest atomically (0600). Internal: only the keyring transaction
 * (`updateKeyring`, which holds the lock) calls it.
 */
export async function writeKeyringManifest(dir: string, manifest: KeyringManifest): Promise<void> {
  parseKeyringManifest(manifest, join(dir, manifestFileName));
  await writeFileAtomic(join(dir, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`, { overwrite: true });
}

/**
 * Creates a keyring: the directory (0700) and an empty manifest. Refuses an existing keyring.
 *
 * @throws {McapiError} `ERR_FILE_EXISTS` when the directory already holds a keyring.
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
