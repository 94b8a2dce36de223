import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { McapiError } from '@mcapi/errors';

/** Options of {@link withKeyringLock}. */
export interface KeyringLockOptions {
  /** How long to wait for another process to finish. Default 10 s. */
  timeoutMs?: number;
}

const lockFileName = 'keyring.lock';

/**
 * Runs `task` while holding the keyring's lock file, so two processes (two `mcapi-keytool`
 * runs, a deploy script and a cron job) never interleave read-modify-write cycles. The lock holds
 * the owner's pid; a lock left by a process that no longer exists (killed mid-write) is taken over.
 *
 * @example
 * ```ts
 * await withKeyringLock(dir, async () => { … read, change, write the manifest … });
 * ```
 */
export async function withKeyringLock<T>(dir: string, task: () => Promise<T>, options: KeyringLockOptions = {}): Promise<T> {
  const path = join(dir, lockFileName);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await lockOwnerIsGone(path)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new McapiError(
          'ERR_KEYRING_LOCKED',
          `The keyring ${dir} is locked by another process (${path}). Wait for it to finish; if no mcapi process is running, delete the lock file.`,
        );
      }
      await sleep(25);
    }
  }
  try {
    return await task();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function lockOwnerIsGone(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false; // released meanwhile; the next open decides
  }
  const pid = Number.parseInt(text, 10);
  // An empty file means the owner is writing its pid now, or died between creating the file
  // and writing it (SIGKILL): stale once it has stayed empty for a while.
  if (!Number.isInteger(pid) || pid <= 0) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 2_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
