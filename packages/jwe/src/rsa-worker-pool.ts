import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bridgeDecrypt, bridgeSlots, notBridgeable } from './rsa-libuv-bridge.js';

// Where overlapping RSA-OAEP decryptions run, off the event loop.
//
// Steady load: worker threads (one per core, at most 4), fed in batches of 8. Why workers and not
// WebCrypto for that: a worker batch costs less main-thread time per job than a `subtle.decrypt`
// call (~0.04 ms each), and workers leave the libuv pool to fs, dns.lookup and zlib.
//
// Until a worker is online: the libuv bridge (rsa-libuv-bridge.ts), WebCrypto with one key copy
// per slot. A worker thread takes ~25-30 ms to come online and ~20 ms of CPU to boot; booting
// them during the first burst after start-up made every job of it wait for them and stole the
// burst's CPU (measured on 2 cores: a fresh process decrypted 300 tokens at 0.75x the speed of
// one after another). libuv's threads already exist. So the workers boot only once they pay:
// - when the bridge drains (in idle time, from an unref'd timer, so a process that has nothing
//   else to do exits instead of booting them), ready for the next burst;
// - or when demand lasted longer than a burst (100 ms without draining: ~500 decryptions on two
//   cores), where the boot is small next to the work left.
// While every bridge slot is busy, the event loop's own thread takes one queued job per turn as
// well (inline privateDecrypt, between two turns so timers and I/O still run): on a 2-core
// machine it is the cheapest hand there is, with no WebCrypto call and no thread hop, and it
// took a fresh process's burst of 300 from ~72-81 ms to ~62-64 ms in quiet minutes.
// From the moment one worker is online the queue goes to the workers and the bridge only
// finishes the jobs it holds.

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
    // The DER is wiped once parsed: no copy of the private key lingers in this heap until GC.
    const der = message.key.export({ format: 'der', type: 'pkcs8' });
    keys.set(message.keyId, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    der.fill(0);
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

/** Runs one RSA-OAEP decryption where neither a worker nor the bridge can: on the calling thread. */
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
  /** The thread runs JavaScript ('online'): only then is it handed work. */
  online: boolean;
  inFlight: Map<number, Job>;
  keyIds: Set<number>;
}

/** Timing of the pool's decisions (tests shorten it instead of waiting on a clock). */
export interface RsaPoolTimingOptions {
  /** How long demand may last on the bridge, without draining, before the workers boot. */
  sustainedDemandMs: number;
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
const timing: RsaPoolTimingOptions = { sustainedDemandMs: 100 };
const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 1;
let nextJobId = 1;
const workers: PoolWorker[] = [];
// FIFO of jobs nobody has taken yet.
let queue: Job[] = [];
let queueHead = 0;
let dispatchScheduled = false;
// Bridge slots not running a job (each slot has its own key copy, see rsa-libuv-bridge.ts).
const freeSlots: number[] = Array.from({ length: bridgeSlots }, (_, slot) => bridgeSlots - 1 - slot);
// Armed when the bridge starts serving with no worker started, cleared when it drains.
let sustainedDemandTimer: ReturnType<typeof setTimeout> | undefined;
let idleBootScheduled = false;
// The bridge served jobs since the workers were last started: only then does its draining start
// them (a worker that cannot start at all is not retried in a loop, only after the next burst).
let bridgeServed = false;
const jobCounts = { bridge: 0, mainThread: 0, workers: 0, fallback: 0 };

/**
 * Decrypts off the event loop: the job joins one queue that online workers pull from in small
 * batches, or, while no worker is online, the libuv bridge one job per slot. Resolves `undefined`
 * on any failure. Nothing here holds the process open once the work is done.
 */
export function decryptOffThread(key: KeyObject, data: Uint8Array, hash: string, inline: InlineDecrypt): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let keyId = keyIds.get(key);
    if (keyId === undefined) {
      keyId = nextKeyId++;
      keyIds.set(key, keyId);
    }
    // slice(): a copy of exactly these bytes, not the whole buffer a view may point into.
    queue.push({ id: nextJobId++, key, keyId, data: data.slice(), hash, inline, resolve });
    if (workers.length === 0 && sustainedDemandTimer === undefined) {
      sustainedDemandTimer = setTimeout(startWorkers, timing.sustainedDemandMs);
      // The bridge's jobs in flight hold the process open, not this timer.
      sustainedDemandTimer.unref();
    }
    refAll();
    // The bridge starts a job the moment a slot is free: the rest of a burst is still being
    // registered on the event loop, and the libuv threads can run meanwhile.
    if (freeSlots.length > 0 && !anyWorkerOnline()) fillBridge();
    // Workers get theirs once per tick: the jobs a burst registers in one tick go out together.
    if (queued() > 0 && !dispatchScheduled) {
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

// Puts jobs back at the head of the queue, ahead of those that came later.
function requeue(jobs: Iterable<Job>): void {
  queue = [...jobs, ...queue.slice(queueHead)];
  queueHead = 0;
}

function anyWorkerOnline(): boolean {
  return workers.some((entry) => entry.online);
}

function dispatch(): void {
  dispatchScheduled = false;
  if (anyWorkerOnline()) {
    for (const entry of workers) if (entry.online) fill(entry);
  } else {
    fillBridge();
  }
  settle();
}

// Gives an online worker batches until it holds two.
function fill(entry: PoolWorker): void {
  while (entry.inFlight.size + batchSize <= maxInFlightPerWorker && queued() > 0) {
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

// While the bridge's slots are all busy and jobs still wait, the event loop's own thread takes
// one of them between two turns: on a machine with few cores it is the cheapest hand there is
// (no WebCrypto call, no thread hop), and it keeps the loop turning between jobs.
let inlineHelpScheduled = false;
function helpInline(): void {
  inlineHelpScheduled = false;
  if (anyWorkerOnline() || freeSlots.length > 0) return;
  const job = take();
  if (job === undefined) return;
  jobCounts.mainThread++;
  job.resolve(job.inline(job.key, job.data, job.hash));
  settle();
  scheduleInlineHelp();
}

function scheduleInlineHelp(): void {
  if (inlineHelpScheduled || queued() === 0 || freeSlots.length > 0 || anyWorkerOnline()) return;
  inlineHelpScheduled = true;
  setImmediate(helpInline);
}

// Starts one queued job per free slot, as long as no worker is online.
function fillBridge(): void {
  while (freeSlots.length > 0 && queued() > 0) {
    const job = take()!;
    const slot = freeSlots.pop()!;
    bridgeServed = true;
    bridgeDecrypt(job.key, job.data, job.hash, slot, (result) => {
      freeSlots.push(slot);
      // The next job first: the libuv thread starts on it while this result is consumed.
      if (!anyWorkerOnline()) fillBridge();
      if (result === notBridgeable) {
        // WebCrypto refused this key (not the ciphertext): this job runs inline, and the
        // workers, which use node:crypto like the inline path, take over from now on.
        jobCounts.fallback++;
        job.resolve(job.inline(job.key, job.data, job.hash));
        startWorkers();
      } else {
        jobCounts.bridge++;
        job.resolve(result);
      }
      settle();
    });
  }
  scheduleInlineHelp();
}

function startWorkers(): void {
  clearTimeout(sustainedDemandTimer);
  sustainedDemandTimer = undefined;
  bridgeServed = false;
  while (workers.length < poolSize) startWorker();
  settle();
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
      jobCounts.workers++;
      job.resolve(result === null ? undefined : Buffer.from(result.buffer, result.byteOffset, result.byteLength));
    }
    fill(entry);
    settle();
  });
  // A worker that dies (out of memory, terminated) must not strand its jobs: those it held go
  // back to the head of the queue, for the other workers or, with none online, the bridge; the
  // pool starts fresh workers once the bridge drains again.
  const retire = () => {
    const index = workers.indexOf(entry);
    if (index < 0) return;
    workers.splice(index, 1);
    requeue(entry.inFlight.values());
    entry.inFlight.clear();
    dispatch();
  };
  worker.on('error', retire);
  worker.on('exit', retire);
  workers.push(entry);
}

function refAll(): void {
  for (const entry of workers) entry.worker.ref();
}

// A worker keeps the process alive only while it holds jobs or jobs wait for it; the bridge's
// jobs in flight keep it alive by themselves. When the bridge drains with no worker started, the
// workers boot in idle time.
function settle(): void {
  if (queued() > 0) return;
  for (const entry of workers) if (entry.inFlight.size === 0) entry.worker.unref();
  if (workers.length === 0 && freeSlots.length === bridgeSlots) {
    clearTimeout(sustainedDemandTimer);
    sustainedDemandTimer = undefined;
    if (bridgeServed && !idleBootScheduled) {
      idleBootScheduled = true;
      // A timer, in a later turn of the event loop: the callbacks of the burst's last results
      // run first, and unref'd, a process with nothing else to do exits instead of booting
      // workers it will never use (an immediate would still run in this turn).
      setTimeout(() => {
        idleBootScheduled = false;
        // Still idle: a new burst is the bridge's again, its own drain or length decides.
        if (workers.length === 0 && queued() === 0 && freeSlots.length === bridgeSlots) startWorkers();
      }, 1).unref();
    }
  }
}

/** Jobs waiting in the pool's queue, not yet handed to a worker or the bridge (for tests and diagnostics). */
export function rsaQueuedJobs(): number {
  return queued();
}

/** Jobs each worker holds (for tests and diagnostics). */
export function rsaJobsPerWorker(): number[] {
  return workers.map((entry) => entry.inFlight.size);
}

/** How many pool workers are running, booting or online (for tests and diagnostics). */
export function rsaWorkerCount(): number {
  return workers.length;
}

/** How many pool workers are online (for tests and diagnostics). */
export function rsaOnlineWorkerCount(): number {
  return workers.filter((entry) => entry.online).length;
}

/**
 * Jobs finished so far by the bridge, by the event loop's thread while every bridge slot was busy,
 * by workers, and inline because WebCrypto refused the key (for tests and diagnostics).
 */
export function rsaJobCounts(): { bridge: number; mainThread: number; workers: number; fallback: number } {
  return { ...jobCounts };
}

/** Changes the pool's timing (tests use it instead of waiting on the wall clock). */
export function setRsaPoolTiming(options: RsaPoolTimingOptions): void {
  timing.sustainedDemandMs = options.sustainedDemandMs;
}

/**
 * Terminates every pool worker, as an out-of-memory kill would: their jobs in flight go back to
 * the queue (the bridge takes them), and workers start again once the bridge drains. For tests
 * of that recovery path.
 */
export async function terminateRsaWorkers(): Promise<void> {
  await Promise.all(workers.map((entry) => entry.worker.terminate()));
}
