import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McapiError } from '@mcapi/errors';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** File mode. Default 0o600: everything this project writes may be a secret. */
  mode?: number;
  /** Replace an existing file. Default false: an existing file is an error (`ERR_FILE_EXISTS`). */
  overwrite?: boolean;
}

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * torn write: temporary file in the same directory (created 0600), fsync, then rename (or link
 * when overwriting is not allowed, which fails atomically if the target appeared meanwhile),
 * then fsync of the directory so the rename survives a power cut.
 *
 * @throws {McapiError} `ERR_FILE_EXISTS` when the file exists and `overwrite` is not set (it is left untouched).
 *
 * @example
 * ```ts
 * await writeFileAtomic('keys/new.key.pem', pem); // refuses to replace an existing file
 * await writeFileAtomic('keyring.json', json, { overwrite: true, mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', options.mode ?? 0o600);
  try {
    await handle.writeFile(data);
    // The create mode is filtered by the umask; set it explicitly so 0600 really is 0600.
    await handle.chmod(options.mode ?? 0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.overwrite) {
      await rename(temporary, path);
    } else {
      await link(temporary, path);
      await unlink(temporary);
    }
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new McapiError('ERR_FILE_EXISTS', `${path} already exists; it was left untouched. Use --force to replace it.`, {
        cause,
      });
    }
    throw cause;
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
