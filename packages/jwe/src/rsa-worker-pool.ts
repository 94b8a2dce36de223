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
const { createPrivateKey, privateDecrypt, constants } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (message) => {
  if (message.type === 'key') {
    // Its own copy: a KeyObject passed to a thread shares the sender's OpenSSL key, and threads
    // decrypting with one RSA key wait on each other (its blinding is locked), which cost the
    // pool a tenth of its throughput on two cores.
    const key = message.key;
    keys.set(message.keyId, createPrivateKey({ key: key.export({ format: 'der', type: 'pkcs8' }), format: 'der', type: 'pkcs8' }));
    return;
  }
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

/** Runs one RSA-OAEP decryption where the pool cannot: on the calling thread. */
export type InlineDecrypt = (key: KeyObject, data: Uint8Array, hash: string) => Buffer | undefined;

interface Job {
  id: number;
  key: KeyObject;
  keyId: number;
  data: Uint8Array;
  hash: string;
  inline: InlineDecrypt;
  resolve: (result: Buffer | undefined) => void;
}

interface PoolWorker {
  worker: Worker;
  /** The thread runs JavaScript ('online'): until then its jobs would only wait in its port. */
  online: boolean;
  inFlight: Map<number, Job>;
  keyIds: Set<number>;
}

const poolSize = Math.max(1, Math.min(4, availableParallelism()));
// Keys a worker holds before it is told to forget them all: a service that (wrongly) re-parses
// its key per call must not grow the workers' memory without bound.
const maxKeysPerWorker = 64;
// Workers pull work: each holds at most two batches, so it always has the next one when it
// finishes one, and the rest waits here, in one queue. A worker that gets less CPU (the machine
// is shared) simply takes fewer batches; nothing is assigned to it in advance. Small batches
// keep the last results of a burst from waiting behind a long batch on a slower worker.
const batchSize = 8;
const maxInFlightPerWorker = 2 * batchSize;
const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 1;
let nextJobId = 1;
const workers: PoolWorker[] = [];
// FIFO of jobs no worker has taken yet.
let queue: Job[] = [];
let queueHead = 0;
let dispatchScheduled = false;

/**
 * Decrypts on the pool: the job joins one queue that workers pull from in small batches (all
 * workers start on the first call, up to the core count, at most 4). Resolves `undefined` on any
 * failure. Workers hold the process open only while there is work.
 */
export function decryptInWorker(key: KeyObject, data: Uint8Array, hash: string, inline: InlineDecrypt): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let keyId = keyIds.get(key);
    if (keyId === undefined) {
      keyId = nextKeyId++;
      keyIds.set(key, keyId);
    }
    // slice(): a copy of exactly these bytes, not the whole buffer a view may point into.
    queue.push({ id: nextJobId++, key, keyId, data: data.slice(), hash, inline, resolve });
    while (workers.length < poolSize) startWorker();
    refAll();
    // Once per tick: the jobs a burst registers in one tick go out together.
    if (!dispatchScheduled) {
      dispatchScheduled = true;
      queueMicrotask(dispatch);
    }
  });
}

function queued(): number {
  return queue.length - queueHead;
}

function take(): Job | undefined {
  if (queueHead >= queue.length) return undefined;
  const job = queue[queueHead++]!;
  if (queueHead === queue.length) {
    queue = [];
    queueHead = 0;
  }
  return job;
}

function dispatch(): void {
  dispatchScheduled = false;
  for (const entry of workers) fill(entry);
  settle();
}

// Gives a worker batches until it holds two, or one while it boots (a worker thread takes tens of
// milliseconds to start): that one it starts on the moment it runs, the rest stays here for
// whichever worker is free first.
function fill(entry: PoolWorker): void {
  const limit = entry.online ? maxInFlightPerWorker : batchSize;
  while (entry.inFlight.size + batchSize <= limit && queued() > 0) {
    const batch: { id: number; keyId: number; hash: string; data: Uint8Array }[] = [];
    for (let job = take(); job !== undefined; job = batch.length < batchSize ? take() : undefined) {
      if (!entry.keyIds.has(job.keyId)) {
        if (entry.keyIds.size >= maxKeysPerWorker) {
          entry.worker.postMessage({ type: 'forget' });
          entry.keyIds.clear();
        }
        entry.worker.postMessage({ type: 'key', keyId: job.keyId, key: job.key });
        entry.keyIds.add(job.keyId);
      }
      entry.inFlight.set(job.id, job);
      batch.push({ id: job.id, keyId: job.keyId, hash: job.hash, data: job.data });
    }
    entry.worker.postMessage({ type: 'decrypt', jobs: batch });
  }
}

function startWorker(): void {
  const worker = new Worker(workerSource, { eval: true, name: 'mcapi-jwe-rsa' });
  const entry: PoolWorker = { worker, online: false, inFlight: new Map(), keyIds: new Set() };
  worker.on('online', () => {
    entry.online = true;
    fill(entry);
    settle();
  });
  worker.on('message', (results: { id: number; result: Uint8Array | null }[]) => {
    for (const { id, result } of results) {
      const job = entry.inFlight.get(id);
      if (job === undefined) continue;
      entry.inFlight.delete(id);
      job.resolve(result === null ? undefined : Buffer.from(result.buffer, result.byteOffset, result.byteLength));
    }
    fill(entry);
    settle();
  });
  // A worker that dies (out of memory, terminated) must not strand its jobs: those it held finish
  // here, inline; with no worker left, so do the queued ones, and the next call starts fresh workers.
  const retire = () => {
    const index = workers.indexOf(entry);
    if (index < 0) return;
    workers.splice(index, 1);
    for (const job of entry.inFlight.values()) job.resolve(job.inline(job.key, job.data, job.hash));
    entry.inFlight.clear();
    if (workers.length === 0) {
      for (let job = take(); job !== undefined; job = take()) job.resolve(job.inline(job.key, job.data, job.hash));
    }
  };
  worker.on('error', retire);
  worker.on('exit', retire);
  workers.push(entry);
}

function refAll(): void {
  for (const entry of workers) entry.worker.ref();
}

// A worker keeps the process alive only while it holds jobs or jobs wait for it.
function settle(): void {
  if (queued() > 0) return;
  for (const entry of workers) if (entry.inFlight.size === 0) entry.worker.unref();
}

/** Jobs waiting in the pool's queue, not yet handed to a worker (for tests and diagnostics). */
export function rsaQueuedJobs(): number {
  return queued();
}

/** Jobs each worker holds (for tests and diagnostics). */
export function rsaJobsPerWorker(): number[] {
  return workers.map((entry) => entry.inFlight.size);
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
