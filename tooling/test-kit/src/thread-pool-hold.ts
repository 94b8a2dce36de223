import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `run` with every libuv thread-pool thread held in a blocking `open()` of a FIFO, then lets
 * them go. A job `run` sends to the pool (a node:crypto callback, an N-API async worker) cannot
 * finish meanwhile, so "did it run on the pool or on the event loop?" has one answer whatever the
 * machine's load: timing races against a busy CI machine made such tests flaky. Work that waits
 * for the pool would wait forever: after `guardMs` it fails, and the pool is released anyway.
 * Linux and macOS (`mkfifo`).
 *
 * @example
 * ```ts
 * let settled = 0;
 * const all = [];
 * const seen = await withThreadPoolHeld(async () => {
 *   all.push(...batch.map((item) => signOnPool(item).then(() => settled++)));
 *   return new Promise((resolve) => setImmediate(() => resolve(settled)));
 * }); // 0: every signature waited for the pool; all of them finish once it is released
 * await Promise.all(all);
 * ```
 */
export async function withThreadPoolHeld<T>(run: () => Promise<T>, { guardMs = 2_000 }: { guardMs?: number } = {}): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'mcapi-pool-'));
  const fifo = join(dir, 'hold');
  execFileSync('mkfifo', [fifo]);
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  // The pool takes jobs in order: these are ahead of anything `run` queues.
  const holds = Array.from({ length: threads }, () => open(fifo, 'r'));
  let guard: NodeJS.Timeout | undefined;
  const waitedForPool = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error('still unfinished with the thread pool held: it waited for the pool')), guardMs);
  });
  try {
    return await Promise.race([run(), waitedForPool]);
  } finally {
    clearTimeout(guard);
    const writer = openSync(fifo, 'w'); // returns once a reader is open; every held open() returns with it
    for (const handle of await Promise.all(holds)) await handle.close();
    closeSync(writer);
    rmSync(dir, { recursive: true });
  }
}
