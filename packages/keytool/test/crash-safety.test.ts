import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openKeyring, parsePrivateKey, publicKeyFingerprint, readKeyringManifest } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateAndKey,
  activateKey,
  createCertificateAuthority,
  createKeyRequest,
  importCertificate,
  initKeyringDirectory,
  issueCertificate,
} from '../src/index.js';
import { assertBuilt, keytoolProcess } from './cli-helpers.js';
import { temporaryDirectory } from './helpers.js';

// SIGKILL at random moments of `rotate` and `activate` (the two commands that add files and
// switch keys): after every kill the manifest must parse, and every private key any manifest
// ever referenced must still be on disk with the fingerprint recorded for it.

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
const keyring = join(dir, 'keyring');
const trialsPerCommand = 26; // 52 kills in all, within ~30 s on a shared 2-core machine
let ca: CertificateAndKey;
/** privateKeyFile → fingerprint, for every key file any observed manifest referenced. */
const everReferenced = new Map<string, string>();

async function observe(): Promise<Awaited<ReturnType<typeof readKeyringManifest>>> {
  const manifest = await readKeyringManifest(keyring); // throws if the manifest is torn or invalid
  for (const entry of manifest.keys) {
    if (entry.privateKeyFile !== undefined) everReferenced.set(entry.privateKeyFile, entry.publicKeyFingerprint);
  }
  for (const [file, fingerprint] of everReferenced) {
    const path = join(keyring, file);
    expect(existsSync(path), `${file} was referenced and is gone`).toBe(true);
    expect(publicKeyFingerprint(parsePrivateKey(readFileSync(path)))).toBe(fingerprint);
  }
  const actives = manifest.keys.filter((key) => key.status === 'active' && key.purpose === 'response-decryption');
  expect(actives).toHaveLength(1);
  const ring = await openKeyring(keyring, { onWarning: () => undefined });
  expect(ring.decryptionKeys('sandbox').has(actives[0]!.publicKeyFingerprint)).toBe(true);
  return manifest;
}

/** A ready (certified) pending key, made in-process. */
async function readyKey(): Promise<string> {
  const { id, csr } = await createKeyRequest({ keyring, purpose: 'response-decryption', subject: { CN: 'crash' } });
  const file = join(dir, `${id}.crt.pem`);
  writeFileSync(file, issueCertificate({ issuer: ca, csr, usage: 'encryption' }).toString());
  await importCertificate({ keyring, file });
  return id;
}

// Kill moments from a third of a normal run (node has started, the command is working) to a
// little past its end, so kills land in key generation, file writes and the manifest update,
// and some runs finish. The machine is shared and RSA generation time varies with the primes
// drawn, so the estimate of a normal run adapts: it grows while every run gets killed and moves
// toward the real duration of runs that finish.
class KillClock {
  constructor(private estimateMs: number) {}
  next(): number {
    return this.estimateMs * (0.3 + 0.8 * Math.random());
  }
  record(outcome: { killed: boolean; elapsedMs: number }): void {
    this.estimateMs = outcome.killed ? this.estimateMs * 1.1 : (this.estimateMs + outcome.elapsedMs) / 2;
  }
}

function runAndKill(args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null; elapsedMs: number }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = keytoolProcess(dir, [...args, '--keyring', keyring, '--non-interactive']);
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, elapsedMs: performance.now() - start });
    });
  });
}

async function timed(args: string[]): Promise<KillClock> {
  const { code, elapsedMs } = await runAndKill(args, 60_000);
  expect(code).toBe(0);
  return new KillClock(elapsedMs);
}

beforeAll(async () => {
  assertBuilt();
  ca = await createCertificateAuthority({ commonName: 'crash CA' });
  await initKeyringDirectory({ keyring });
  await activateKey({ keyring, id: await readyKey() });
  await observe();
});

describe('crash safety under SIGKILL', () => {
  it(`rotate: ${trialsPerCommand} random kills never break the keyring or lose a referenced key`, { timeout: 120_000 }, async () => {
    const clock = await timed(['rotate', '--purpose', 'response-decryption']);
    await observe();
    let killed = 0;
    let added = 0;
    for (let trial = 0; trial < trialsPerCommand; trial++) {
      const before = (await observe()).keys.length;
      const outcome = await runAndKill(['rotate', '--purpose', 'response-decryption'], clock.next());
      clock.record(outcome);
      if (outcome.killed) killed++;
      if ((await observe()).keys.length > before) added++;
    }
    // The harness must really kill (the invariants are checked after every run either way).
    expect(killed).toBeGreaterThan(0);
    console.info(`rotate trials: ${killed} of ${trialsPerCommand} killed before finishing, ${added} added their pending key`);
  });

  it(
    `activate: ${trialsPerCommand} random kills leave exactly the old or the new key active, the other still decrypting`,
    async () => {
      // Two more ready keys; trials then switch between the three (activate also takes a
      // `previous` key back), so no key generation happens between kills.
      const pool = [...(await Promise.all([readyKey(), readyKey()]))];
      const clock = await timed(['activate', pool[0]!]);
      let killed = 0;
      let switched = 0;
      for (let trial = 0; trial < trialsPerCommand; trial++) {
        const before = await observe();
        const active = before.keys.find((key) => key.status === 'active' && key.purpose === 'response-decryption')!;
        const candidates = before.keys.filter((key) => key.purpose === 'response-decryption' && key.status !== 'active' && key.certificateFile !== undefined && key.status !== 'retired');
        const target = candidates[trial % candidates.length]!;
        const outcome = await runAndKill(['activate', target.id], clock.next());
        clock.record(outcome);
        if (outcome.killed) killed++;
        const after = await observe();
        const status = (id: string) => after.keys.find((key) => key.id === id)?.status;
        // All or nothing: either the switch happened completely, or nothing changed.
        if (status(target.id) === 'active') {
          switched++;
          expect(status(active.id)).toBe('previous');
        } else {
          expect(after.keys.map((key) => [key.id, key.status])).toEqual(before.keys.map((key) => [key.id, key.status]));
        }
      }
      // The harness must really kill (the invariants are checked after every run either way).
    expect(killed).toBeGreaterThan(0);
      console.info(`activate trials: ${killed} of ${trialsPerCommand} killed before finishing, ${switched} switched keys`);
    },
    120_000,
  );
});
