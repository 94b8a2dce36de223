import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { rsaJobCounts, rsaOnlineWorkerCount, rsaWorkerCount, terminateRsaWorkers } from '../src/rsa-worker-pool.js';
import { certificate, privateKeyPkcs8, rsaWorkersOnline } from './helpers.js';

// Issue #18 §3: a pool worker that dies (out of memory, terminated) must not strand its jobs:
// they go back to the queue and, with no worker left, finish on the libuv bridge; the pool serves
// the next burst there and boots fresh workers once it drains.
const utf8 = new TextDecoder();

describe('regression: the RSA worker pool recovers from a dead worker', () => {
  it('jobs in flight when every worker dies still decrypt, and the pool serves the next burst', async () => {
    await rsaWorkersOnline();
    const tokens = await Promise.all(Array.from({ length: 120 }, (_, index) => encrypt(`{"n":${index}}`, { key: certificate })));
    const before = rsaJobCounts();
    const first = Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 })));
    // Let the burst reach the workers (one microtask to decide, one to post), then kill them.
    for (let tick = 0; tick < 4; tick += 1) await Promise.resolve();
    expect(rsaWorkerCount()).toBeGreaterThan(0);
    await terminateRsaWorkers();
    const results = await first;
    expect(results.map(({ plaintext }) => utf8.decode(plaintext))).toEqual(tokens.map((_, index) => `{"n":${index}}`));
    expect(rsaWorkerCount()).toBe(0);
    const afterFirst = rsaJobCounts();
    const bridged = (counts: { bridge: number; mainThread: number }) => counts.bridge + counts.mainThread;
    expect(bridged(afterFirst) - bridged(before) + (afterFirst.workers - before.workers)).toBe(120);
    expect(bridged(afterFirst) - bridged(before)).toBeGreaterThan(0); // what the dead workers held

    const second = await Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 })));
    expect(second.map(({ plaintext }) => utf8.decode(plaintext))).toEqual(tokens.map((_, index) => `{"n":${index}}`));
    expect(bridged(rsaJobCounts()) - bridged(afterFirst)).toBe(120);
    await rsaWorkersOnline();
    expect(rsaOnlineWorkerCount()).toBeGreaterThan(0);
  });
});
