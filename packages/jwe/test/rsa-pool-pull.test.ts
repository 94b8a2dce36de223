import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { rsaJobsPerWorker, rsaQueuedJobs, rsaWorkerCount } from '../src/rsa-worker-pool.js';
import { certificate, privateKeyPkcs8, rsaWorkersOnline } from './helpers.js';

// Issue #18 §3: workers pull work. Each holds at most two small batches; the rest of a burst
// waits in one queue, so a worker that gets less CPU (a shared machine) takes fewer batches
// instead of holding a fixed half of the burst while the other idles. (Before any worker is
// online a burst runs on the libuv bridge instead: rsa-pool-bridge.test.ts.)
const utf8 = new TextDecoder();

describe('the RSA worker pool hands out work as workers free up', () => {
  it('a burst of 200: no worker holds more than 16 jobs, the rest waits in the shared queue, all decrypt', async () => {
    await rsaWorkersOnline();
    const tokens = await Promise.all(Array.from({ length: 200 }, (_, index) => encrypt(`{"n":${index}}`, { key: certificate })));
    const burst = Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 })));
    // One microtask for unwrapKey to decide, one for the pool to dispatch.
    for (let tick = 0; tick < 4; tick += 1) await Promise.resolve();
    expect(rsaWorkerCount()).toBeGreaterThan(0);
    const held = rsaJobsPerWorker();
    expect(Math.max(...held)).toBeLessThanOrEqual(16);
    expect(rsaQueuedJobs()).toBeGreaterThanOrEqual(200 - held.reduce((sum, jobs) => sum + jobs, 0));
    expect(rsaQueuedJobs()).toBeGreaterThanOrEqual(200 - 16 * rsaWorkerCount());
    const results = await burst;
    expect(results.map(({ plaintext }) => utf8.decode(plaintext))).toEqual(tokens.map((_, index) => `{"n":${index}}`));
    expect(rsaQueuedJobs()).toBe(0);
    expect(rsaJobsPerWorker().every((jobs) => jobs === 0)).toBe(true);
  });

  // Nothing the pool starts holds the process open once the work is done: a process that did a
  // burst right after start-up (on the libuv bridge, no worker booted) exits by itself, and so
  // does one that stayed up long enough for the workers to boot after it.
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const distPool = fileURLToPath(new URL('../dist/rsa-worker-pool.js', import.meta.url));
  async function runChild(afterBurst: string): Promise<string> {
    expect(existsSync(dist), 'run "pnpm run build" in packages/jwe first (turbo does before tests)').toBe(true);
    const script = `import { generateKeyPairSync } from 'node:crypto';
const { decrypt, encrypt } = await import(${JSON.stringify(dist)});
const { rsaJobCounts, rsaWorkerCount } = await import(${JSON.stringify(distPool)});
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tokens = await Promise.all(Array.from({ length: 60 }, (_, n) => encrypt('{"n":' + n + '}', { key: publicKey })));
const results = await Promise.all(tokens.map((token) => decrypt(token, { keys: privateKey })));
console.log(results.map(({ plaintext }) => new TextDecoder().decode(plaintext)).join(','));
console.log(JSON.stringify({ ...rsaJobCounts(), workersAfterBurst: rsaWorkerCount() }));
${afterBurst}`;
    // A file, not \`node -e\`: an evaluated ES module exits when its code settles, handles or not.
    const dir = mkdtempSync(join(tmpdir(), 'mcapi-jwe-pool-'));
    try {
      writeFileSync(join(dir, 'burst.mjs'), script);
      // Anything left referenced would keep the child alive until this timeout kills it.
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'burst.mjs')], { timeout: 30_000 });
      return stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a fresh process decrypts a burst on the libuv bridge (no worker boots under it), then exits on its own', async () => {
    const [plaintexts, counts] = (await runChild('')).trim().split('\n');
    expect(plaintexts).toBe(Array.from({ length: 60 }, (_, n) => `{"n":${n}}`).join(','));
    const { bridge, mainThread, ...rest } = JSON.parse(counts!);
    expect(bridge + mainThread).toBe(60);
    expect(bridge).toBeGreaterThan(0);
    expect(rest).toEqual({ workers: 0, fallback: 0, workersAfterBurst: 0 });
  });

  it('a process whose workers booted after its first burst still exits on its own', async () => {
    const stdout = await runChild(`await new Promise((resolve) => setTimeout(resolve, 100));
console.log('workers', rsaWorkerCount());`);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(Array.from({ length: 60 }, (_, n) => `{"n":${n}}`).join(','));
    expect(lines[2]).toMatch(/^workers [1-4]$/);
  });
});
