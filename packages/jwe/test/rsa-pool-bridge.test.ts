import { constants, createPrivateKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { bridgeKeyCopies, bridgeSlots } from '../src/rsa-libuv-bridge.js';
import {
  decryptOffThread,
  rsaJobCounts,
  rsaOnlineWorkerCount,
  rsaWorkerCount,
  setRsaPoolTiming,
  terminateRsaWorkers,
} from '../src/rsa-worker-pool.js';
import { certificate, otherPrivateKey, privateKeyPkcs8, rsaWorkersOnline, vectorText } from './helpers.js';

// Issue #18 §3, the first burst after start-up: while no pool worker is online (they take tens of
// milliseconds to boot and steal the burst's CPU), overlapping decryptions run on the libuv pool
// through WebCrypto, each slot with its own copy of the key; the workers boot once the bridge
// drains (or demand lasts), then take the queue.
const utf8 = new TextDecoder();
const inline = (key: KeyObject, data: Uint8Array, hash: string): Buffer | undefined => {
  try {
    return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
  } catch {
    return undefined;
  }
};
const wrap = (key: KeyObject, hash: string, cek: Buffer) =>
  publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, cek);
// Jobs done while no worker was online: on the libuv bridge or, its slots all busy, on the event loop's thread.
const bridged = (counts: { bridge: number; mainThread: number }) => counts.bridge + counts.mainThread;
const ticks = async (count: number) => {
  for (let tick = 0; tick < count; tick += 1) await Promise.resolve();
};

afterEach(() => {
  vi.restoreAllMocks();
  setRsaPoolTiming({ sustainedDemandMs: 100 });
});

describe('the first burst runs on the libuv bridge until a pool worker is online', () => {
  it('a burst before any worker is online decrypts on the bridge like inline, all four OAEP hashes, failures uniform', async () => {
    expect(rsaWorkerCount()).toBe(0);
    const publicKey = certificate.publicKey;
    const jobs: { data: Buffer; hash: string }[] = [];
    for (const hash of ['sha1', 'sha256', 'sha384', 'sha512']) {
      for (let n = 0; n < 12; n += 1) jobs.push({ data: wrap(publicKey, hash, randomBytes(32)), hash });
      // Wrapped for another key, wrapped with another hash, and not a ciphertext at all.
      jobs.push({ data: wrap(otherPrivateKey(), hash, randomBytes(32)), hash });
      jobs.push({ data: wrap(publicKey, hash === 'sha1' ? 'sha256' : 'sha1', randomBytes(32)), hash });
      jobs.push({ data: randomBytes(256), hash });
    }
    const before = rsaJobCounts();
    const burst = Promise.all(jobs.map(({ data, hash }) => decryptOffThread(privateKeyPkcs8, data, hash, inline)));
    await ticks(4);
    expect(rsaWorkerCount()).toBe(0); // no worker booting under the burst
    const results = await burst;
    expect(results).toEqual(jobs.map(({ data, hash }) => inline(privateKeyPkcs8, data, hash)));
    expect(results.filter((result) => result === undefined)).toHaveLength(12);
    const after = rsaJobCounts();
    expect(bridged(after) - bridged(before)).toBe(jobs.length);
    expect(after.bridge - before.bridge).toBeGreaterThan(0);
    expect(after.workers - before.workers).toBe(0);
    expect(after.fallback - before.fallback).toBe(0);
  });

  it('a JWE burst on the bridge gives the same plaintexts, and an altered key the same error, as one decryption alone', async () => {
    await terminateRsaWorkers();
    expect(rsaOnlineWorkerCount()).toBe(0);
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, n) => encrypt(`{"n":${n}}`, { key: certificate })));
    const parts = tokens[0]!.split('.');
    const key = Buffer.from(parts[1]!, 'base64url');
    key[7]! ^= 1;
    const altered = [parts[0], key.toString('base64url'), ...parts.slice(2)].join('.');
    const alone = await decrypt(altered, { keys: privateKeyPkcs8 }).catch((error: unknown) => error);
    const before = bridged(rsaJobCounts());
    const outcomes = await Promise.all(
      [...tokens, altered, altered].map((token) =>
        decrypt(token, { keys: privateKeyPkcs8 }).then(({ plaintext }) => utf8.decode(plaintext), (error: unknown) => error),
      ),
    );
    expect(bridged(rsaJobCounts()) - before).toBe(32);
    expect(outcomes.slice(0, 30)).toEqual(tokens.map((_, n) => `{"n":${n}}`));
    for (const failure of outcomes.slice(30)) {
      expect(failure).toMatchObject({ code: 'ERR_JWE_DECRYPTION_FAILED' });
      expect(failure).toEqual(alone);
      expect((failure as Error).message).toBe((alone as Error).message);
    }
  });

  it('each bridge slot decrypts with its own imported copy of the key, never two jobs on one copy at once', async () => {
    await terminateRsaWorkers();
    // A key the bridge has not seen, so its copies are made in this test.
    const key = createPrivateKey(vectorText('test_key.pkcs8.pem'));
    const imports = vi.spyOn(webcrypto.subtle, 'importKey');
    const original = webcrypto.subtle.decrypt.bind(webcrypto.subtle);
    const used = new Set<webcrypto.CryptoKey>();
    const busy = new Set<webcrypto.CryptoKey>();
    let shared = 0;
    let most = 0;
    vi.spyOn(webcrypto.subtle, 'decrypt').mockImplementation(async (algorithm, cryptoKey, data) => {
      if (busy.has(cryptoKey)) shared += 1;
      busy.add(cryptoKey);
      used.add(cryptoKey);
      most = Math.max(most, busy.size);
      try {
        return await original(algorithm, cryptoKey, data);
      } finally {
        busy.delete(cryptoKey);
      }
    });
    const jobs = Array.from({ length: 60 }, () => wrap(certificate.publicKey, 'sha256', randomBytes(32)));
    const results = await Promise.all(jobs.map((data) => decryptOffThread(key, data, 'sha256', inline)));
    expect(results).toEqual(jobs.map((data) => inline(key, data, 'sha256')));
    expect(imports).toHaveBeenCalledTimes(bridgeSlots);
    for (const [format, material, algorithm, extractable, usages] of imports.mock.calls) {
      expect([format, algorithm, extractable, usages]).toEqual(['jwk', { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']]);
      expect(material).toEqual(key.export({ format: 'jwk' })); // this very key, not another
    }
    const copies = await bridgeKeyCopies(key, 'sha256');
    expect(new Set(copies).size).toBe(bridgeSlots);
    expect(used).toEqual(new Set(copies));
    expect(copies.every((copy) => copy.type === 'private' && !copy.extractable)).toBe(true);
    expect(most).toBe(bridgeSlots); // the libuv pool gets at most one job per slot
    expect(shared).toBe(0);
  });

  it('while every slot is busy, the event loop takes queued jobs one per turn, and keeps turning between them', async () => {
    await terminateRsaWorkers();
    const jobs = Array.from({ length: 200 }, () => wrap(certificate.publicKey, 'sha256', randomBytes(32)));
    const before = rsaJobCounts();
    let finished = false;
    const burst = Promise.all(jobs.map((data) => decryptOffThread(privateKeyPkcs8, data, 'sha256', inline))).finally(() => {
      finished = true;
    });
    // An immediate queued now runs after at most one inline job, long before 200 are done.
    const turned = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!finished)));
    const results = await burst;
    expect(turned).toBe(true);
    expect(results).toEqual(jobs.map((data) => inline(privateKeyPkcs8, data, 'sha256')));
    const after = rsaJobCounts();
    expect(after.mainThread - before.mainThread).toBeGreaterThan(0);
    expect(after.bridge - before.bridge).toBeGreaterThan(0);
    expect(bridged(after) - bridged(before)).toBe(200);
  });

  it('workers boot once the bridge drains, then take every job of the next burst', async () => {
    await terminateRsaWorkers();
    await rsaWorkersOnline();
    expect(rsaOnlineWorkerCount()).toBeGreaterThan(0);
    const before = rsaJobCounts();
    const jobs = Array.from({ length: 80 }, () => wrap(certificate.publicKey, 'sha256', randomBytes(32)));
    const results = await Promise.all(jobs.map((data) => decryptOffThread(privateKeyPkcs8, data, 'sha256', inline)));
    expect(results).toEqual(jobs.map((data) => inline(privateKeyPkcs8, data, 'sha256')));
    const after = rsaJobCounts();
    expect(after.workers - before.workers).toBe(80);
    expect(bridged(after) - bridged(before)).toBe(0);
  });

  it('demand that lasts starts the workers during the burst; the bridge hands over without losing a job', async () => {
    await terminateRsaWorkers();
    setRsaPoolTiming({ sustainedDemandMs: 0 });
    const before = rsaJobCounts();
    const jobs = Array.from({ length: 400 }, () => wrap(certificate.publicKey, 'sha256', randomBytes(32)));
    let startedDuringBurst = false;
    let finished = false;
    const burst = Promise.all(jobs.map((data) => decryptOffThread(privateKeyPkcs8, data, 'sha256', inline))).finally(() => {
      finished = true;
    });
    // The 0 ms timer fires in the next timers phase, long before 400 decryptions are done.
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (!finished) startedDuringBurst = rsaWorkerCount() > 0;
    const results = await burst;
    expect(startedDuringBurst).toBe(true);
    expect(results).toEqual(jobs.map((data) => inline(privateKeyPkcs8, data, 'sha256')));
    const after = rsaJobCounts();
    expect(bridged(after) - bridged(before) + (after.workers - before.workers)).toBe(400);
    expect(after.fallback - before.fallback).toBe(0);
  });

  it('a key WebCrypto refuses falls back inline (same result) and hands the rest to the workers', async () => {
    await terminateRsaWorkers();
    // An RSA-PSS key: node:crypto and WebCrypto refuse it for OAEP alike, so every path fails the same.
    const { privateKey: pss } = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    // SHA-224: an OAEP hash node:crypto accepts and WebCrypto does not define.
    const jobs = [
      ...Array.from({ length: 6 }, () => ({ key: privateKeyPkcs8, data: wrap(certificate.publicKey, 'sha224', randomBytes(32)), hash: 'sha224' })),
      ...Array.from({ length: 3 }, () => ({ key: pss, data: randomBytes(256), hash: 'sha256' })),
    ];
    const before = rsaJobCounts();
    const results = await Promise.all(jobs.map(({ key, data, hash }) => decryptOffThread(key, data, hash, inline)));
    expect(results).toEqual(jobs.map(({ key, data, hash }) => inline(key, data, hash)));
    expect(results.slice(0, 6).every((result) => result?.length === 32)).toBe(true);
    const after = rsaJobCounts();
    expect(after.fallback - before.fallback + (after.workers - before.workers)).toBe(9);
    expect(after.fallback - before.fallback).toBeGreaterThan(0);
    expect(rsaWorkerCount()).toBeGreaterThan(0);
  });
});
