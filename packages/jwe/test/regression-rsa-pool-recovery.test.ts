import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { rsaWorkerCount, terminateRsaWorkers } from '../src/rsa-worker-pool.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// Issue #18 §3: a pool worker that dies (out of memory, terminated) must not strand its jobs:
// they finish inline on the calling thread, and the next burst starts a fresh worker.
const utf8 = new TextDecoder();

describe('regression: the RSA worker pool recovers from a dead worker', () => {
  it('jobs in flight when every worker dies still decrypt, and the pool serves the next burst', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, index) => encrypt(`{"n":${index}}`, { key: certificate })));
    const first = Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 })));
    // Let the burst reach the pool (one microtask to decide, one to post), then kill the workers.
    for (let tick = 0; tick < 4; tick += 1) await Promise.resolve();
    expect(rsaWorkerCount()).toBeGreaterThan(0);
    await terminateRsaWorkers();
    const results = await first;
    expect(results.map(({ plaintext }) => utf8.decode(plaintext))).toEqual(tokens.map((_, index) => `{"n":${index}}`));
    expect(rsaWorkerCount()).toBe(0);

    const second = await Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 })));
    expect(second).toHaveLength(40);
    expect(rsaWorkerCount()).toBeGreaterThan(0);
  });
});
