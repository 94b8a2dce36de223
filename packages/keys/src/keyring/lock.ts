import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { McapiError } from '@mcapi/errors';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another process to finish. Default 10 s. */
  timeoutMs?: number;
}

/** Test seams of the lock; not part of the public API. */
export interface FileLockHooks {
  /** Reads the current holder of a lock file (`undefined` when it is gone). */
  readHolder?: (path: string) => Promise<string | undefined>;
}

/**
 * Runs `task` while holding the lock file `lockPath`, so two processes (two `mcapi-keytool` runs,
 * two service replicas sharing a token file) never interleave read-modify-write cycles.
 *
 * The lock file is created complete (written to a temporary file, then hard-linked into place,
 * which fails if the lock exists) and holds `pid host token`. A lock whose owner process no
 * longer exists on this host (killed mid-write) is stale. Taking it over is itself exclusive:
 * a taker first creates a claim file named after the stale holder's content, and only the one
 * claim holder removes the lock, after checking it still holds that same content. So two
 * processes finding the same stale lock never both end up holding the lock.
 *
 * @throws `ERR_KEYRING_LOCKED` when a live owner keeps the lock past `timeoutMs`.
 * @example
 * ```ts
 * await withFileLock(`${tokenFile}.lock`, async () => { … read, change, write the file … });
 * ```
 */
export async function withFileLock<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  return withFileLockHooked(lockPath, task, options, {});
}

/** {@link withFileLock} with test seams. */
export async function withFileLockHooked<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions, hooks: FileLockHooks): Promise<T> {
  const mine = await acquire(lockPath, Date.now() + (options.timeoutMs ?? 10_000), hooks);
  try {
    return await task();
  } finally {
    // Only our own lock: never remove one that somebody else holds now.
    if ((await readHolder(lockPath)) === mine) await unlink(lockPath).catch(() => undefined);
  }
}

async function acquire(path: string, deadline: number, hooks: FileLockHooks): Promise<string> {
  const mine = holderContent();
  const read = hooks.readHolder ?? readHolder;
  for (;;) {
    // Read first: waiters poll with one read, and create (three file operations) only when free.
    const holder = await read(path);
    if (holder === undefined) {
      if (await createExclusive(path, mine)) return mine;
      continue; // another waiter was faster
    }
    const stale = await ownerIsGone(path, holder);
    if (stale && (await breakStaleLock(path, holder))) continue;
    if (Date.now() > deadline) {
      throw new McapiError(
        'ERR_KEYRING_LOCKED',
        `${path} is held by another process (${describeHolder(holder)}). Wait for it to finish; if no mcapi process is running, delete the lock file.`,
      );
    }
    await sleep(stale ? 5 : 25); // stale: another process is taking it over right now
  }
}

/**
 * Removes the stale lock `path` if it still holds `holder`. The claim file is named after
 * `holder`, so every process that found this same stale lock competes for the same claim; its
 * winner re-reads the lock under the claim and removes it only when it is unchanged. Nothing
 * else removes a lock of a dead owner, so the lock cannot change between that read and the unlink.
 * Returns false while another process holds the claim.
 */
async function breakStaleLock(path: string, holder: string): Promise<boolean> {
  const claim = `${path}.${createHash('sha256').update(holder).digest('hex').slice(0, 16)}.takeover`;
  if (await createExclusive(claim, holderContent())) {
    try {
      if ((await readHolder(path)) === holder) await unlinkIfPresent(path);
    } finally {
      await unlink(claim).catch(() => undefined);
    }
    return true;
  }
  // Another process is taking over; if it died while doing so, its claim is stale in turn.
  const claimant = await readHolder(claim);
  if (claimant === undefined) return true; // that takeover just finished
  if (await ownerIsGone(claim, claimant)) await breakStaleLock(claim, claimant);
  return false;
}

/** Creates `path` with `content` complete, or returns false if it exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
}

function holderContent(): string {
  return `${process.pid} ${hostname()} ${randomBytes(12).toString('hex')}\n`;
}

async function readHolder(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function describeHolder(holder: string): string {
  const [pid, host] = holder.trim().split(' ');
  return host === undefined ? `pid ${pid}` : `pid ${pid} on ${host}`;
}

async function ownerIsGone(path: string, holder: string): Promise<boolean> {
  const [pidText, host] = holder.trim().split(' ');
  const pid = Number(pidText);
  // An empty or foreign file (an older mcapi created the lock, then wrote the pid, and may have
  // died in between): stale once it has stayed unchanged for a while.
  if (!Number.isInteger(pid) || pid <= 0) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 2_000;
  }
  // A process on another host (a shared volume) cannot be checked from here: never stale.
  if (host !== undefined && host !== hostname()) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
