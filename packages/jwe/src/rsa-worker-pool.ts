import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Why worker threads and not WebCrypto: on Node 20 / OpenSSL 3.0, concurrent
// `subtle.decrypt({ name: 'RSA-OAEP' })` jobs run on the libuv pool but do not overlap (measured on
// this project's 2-core machines: 1,000 decryptions took as long with 4 in flight as with 1),
// while `privateDecrypt` in two workers runs on both cores. A worker also keeps RSA work out of
// the libuv pool that fs, dns.lookup and zlib share.

// Plain CommonJS evaluated inside each worker: node:crypto only, so it needs no build step or
// loader and works the same from sources and from dist.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { privateDecrypt, constants } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (message) => {
  if (message.type === 'key') { keys.set(message.keyId, message.key); return; }
  if (message.type === 'forget') { keys.clear(); return; }
  const results = message.jobs.map((job) => {
    let result = null;
    try {
      result = privateDecrypt({ key: keys.get(job.keyId), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: job.hash }, job.data);
    } catch {}
    return { id: job.id, result };
  });
  parentPort.postMessage(results);
});`;

interface Job {
  key: KeyObject;
  data: Uint8Array;
  hash: string;
  resolve: (result: Buffer | undefined) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Map<number, Job>;
  keyIds: Set<number>;
  /** Jobs of this tick not yet posted: sent together, a message costs more than a job's bytes. */
  outbox: { id: number; keyId: number; hash: string; data: Uint8Array }[];
}

/** Runs one RSA-OAEP decryption where the pool cannot: on the calling thread. */
export type InlineDecrypt = (key: KeyObject, data: Uint8Array, hash: string) => Buffer | undefined;

const poolSize = Math.max(1, Math.min(4, availableParallelism()));
// Keys a worker holds before it is told to forget them all: a service that (wrongly) re-parses
// its key per call must not grow the workers' memory without bound.
const maxKeysPerWorker = 64;

const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 1;
let nextJobId = 1;
const workers: PoolWorker[] = [];

/**
 * Decrypts on the least busy worker, starting workers lazily (up to the core count, at most 4).
 * Resolves `undefined` on any failure. Workers hold the process open only while they have work.
 */
export function decryptInWorker(key: KeyObject, data: Uint8Array, hash: string, inline: InlineDecrypt): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const target = pickWorker(inline);
    let keyId = keyIds.get(key);
    if (keyId === undefined) {
      keyId = nextKeyId++;
      keyIds.set(key, keyId);
    }
    if (!target.keyIds.has(keyId)) {
      if (target.keyIds.size >= maxKeysPerWorker) {
        target.worker.postMessage({ type: 'forget' });
        target.keyIds.clear();
      }
      target.worker.postMessage({ type: 'key', keyId, key });
      target.keyIds.add(keyId);
    }
    const id = nextJobId++;
    target.jobs.set(id, { key, data, hash, resolve });
    if (target.jobs.size === 1) target.worker.ref();
    // slice(): a copy of exactly these bytes, not the whole buffer a view may point into.
    target.outbox.push({ id, keyId, hash, data: data.slice() });
    if (target.outbox.length === 1) queueMicrotask(() => flush(target));
  });
}

// Posts the jobs gathered this tick in messages of at most `batchSize`: batching amortises the
// per-message cost over a burst, the cap keeps the first results from waiting on a long batch.
const batchSize = 16;

function flush(target: PoolWorker): void {
  const jobs = target.outbox;
  target.outbox = [];
  for (let start = 0; start < jobs.length; start += batchSize) {
    target.worker.postMessage({ type: 'decrypt', jobs: jobs.slice(start, start + batchSize) });
  }
}

function pickWorker(inline: InlineDecrypt): PoolWorker {
  let best: PoolWorker | undefined;
  for (const candidate of workers) {
    if (best === undefined || candidate.jobs.size < best.jobs.size) best = candidate;
  }
  if (best !== undefined && (best.jobs.size === 0 || workers.length >= poolSize)) return best;
  return startWorker(inline);
}

function startWorker(inline: InlineDecrypt): PoolWorker {
  const worker = new Worker(workerSource, { eval: true, name: 'mcapi-jwe-rsa' });
  worker.unref();
  const entry: PoolWorker = { worker, jobs: new Map(), keyIds: new Set(), outbox: [] };
  worker.on('message', (results: { id: number; result: Uint8Array | null }[]) => {
    for (const { id, result } of results) {
      const job = entry.jobs.get(id);
      if (job === undefined) continue;
      entry.jobs.delete(id);
      job.resolve(result === null ? undefined : Buffer.from(result.buffer, result.byteOffset, result.byteLength));
    }
    if (entry.jobs.size === 0) worker.unref();
  });
  // A worker that dies (out of memory, terminated) must not strand its jobs: finish them here,
  // inline, and let the next call start a fresh worker.
  const retire = () => {
    const index = workers.indexOf(entry);
    if (index >= 0) workers.splice(index, 1);
    for (const job of entry.jobs.values()) job.resolve(inline(job.key, job.data, job.hash));
    entry.jobs.clear();
    entry.outbox = [];
  };
  worker.on('error', retire);
  worker.on('exit', retire);
  workers.push(entry);
  return entry;
}

/** How many pool workers are running (for tests and diagnostics). */
export function rsaWorkerCount(): number {
  return workers.length;
}

/**
 * Terminates every pool worker, as an out-of-memory kill would: their jobs in flight finish
 * inline, and the next burst starts fresh workers. For tests of that recovery path.
 */
export async function terminateRsaWorkers(): Promise<void> {
  await Promise.all(workers.map((entry) => entry.worker.terminate()));
}
