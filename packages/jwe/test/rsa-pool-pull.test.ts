import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { rsaJobsPerWorker, rsaQueuedJobs, rsaWorkerCount } from '../src/rsa-worker-pool.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// Issue #18 §3: workers pull work. Each holds at most two small batches; the rest of a burst
// waits in one queue, so a worker that gets less CPU (a shared machine) takes fewer batches
// instead of holding a fixed half of the burst while the other idles.
const utf8 = new TextDecoder();

describe('the RSA worker pool hands out work as workers free up', () => {
  it('a burst of 200: no worker holds more than 16 jobs, the rest waits in the shared queue, all decrypt', async () => {
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

  // The pool's workers are referenced only while they hold or await work: a process that did a
  // burst right after start-up (workers still booting) and has nothing else to do exits by itself.
  it('a fresh process decrypts a burst while its workers boot, then exits on its own', async () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    expect(existsSync(dist), 'run "pnpm run build" in packages/jwe first (turbo does before tests)').toBe(true);
    const script = `import { generateKeyPairSync } from 'node:crypto';
const { decrypt, encrypt } = await import(${JSON.stringify(dist)});
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tokens = await Promise.all(Array.from({ length: 60 }, (_, n) => encrypt('{"n":' + n + '}', { key: publicKey })));
const results = await Promise.all(tokens.map((token) => decrypt(token, { keys: privateKey })));
console.log(results.map(({ plaintext }) => new TextDecoder().decode(plaintext)).join(','));`;
    // A file, not \`node -e\`: an evaluated ES module exits when its code settles, handles or not.
    const dir = mkdtempSync(join(tmpdir(), 'mcapi-jwe-pool-'));
    try {
      writeFileSync(join(dir, 'burst.mjs'), script);
      // A worker left referenced would keep the child alive until this timeout kills it.
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'burst.mjs')], { timeout: 30_000 });
      expect(stdout.trim()).toBe(Array.from({ length: 60 }, (_, n) => `{"n":${n}}`).join(','));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
