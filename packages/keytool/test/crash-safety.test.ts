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

function runAndKill(args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = keytoolProcess(dir, [...args, '--keyring', keyring, '--non-interactive']);
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

async function timed(args: string[]): Promise<number> {
  const start = performance.now();
  const { code } = await runAndKill(args, 30_000);
  expect(code).toBe(0);
  return performance.now() - start;
}

beforeAll(async () => {
  assertBuilt();
  ca = await createCertificateAuthority({ commonName: 'crash CA' });
  await initKeyringDirectory({ keyring });
  await activateKey({ keyring, id: await readyKey() });
  await observe();
});

describe('crash safety under SIGKILL', () => {
  it(`rotate: ${trialsPerCommand} random kills never break the keyring or lose a referenced key`, async () => {
    const full = await timed(['rotate', '--purpose', 'response-decryption']);
    await observe();
    let killed = 0;
    for (let trial = 0; trial < trialsPerCommand; trial++) {
      const outcome = await runAndKill(['rotate', '--purpose', 'response-decryption'], Math.random() * full);
      if (outcome.killed) killed++;
      await observe();
    }
    expect(killed).toBeGreaterThanOrEqual(trialsPerCommand / 4);
    console.info(`rotate trials: ${killed} of ${trialsPerCommand} killed before finishing`);
  });

  it(`activate: ${trialsPerCommand} random kills leave exactly the old or the new key active, the other still decrypting`, async () => {
    // Ready keys made up front (key generation runs in parallel on libuv's pool).
    const [calibration, ...candidates] = await Promise.all(Array.from({ length: trialsPerCommand + 1 }, () => readyKey()));
    const full = await timed(['activate', calibration!]);
    await observe();
    let killed = 0;
    let switched = 0;
    for (const id of candidates) {
      const before = (await observe()).keys.find((key) => key.status === 'active' && key.purpose === 'response-decryption')!;
      const outcome = await runAndKill(['activate', id], Math.random() * full);
      if (outcome.killed) killed++;
      const manifest = await observe();
      const now = manifest.keys.find((key) => key.status === 'active' && key.purpose === 'response-decryption')!;
      // All or nothing: either nothing changed, or the new key is active and the old one previous.
      if (now.id === id) {
        switched++;
        expect(manifest.keys.find((key) => key.id === before.id)?.status).toBe('previous');
      } else {
        expect(now.id).toBe(before.id);
        expect(manifest.keys.find((key) => key.id === id)?.status).toBe('pending');
      }
    }
    expect(killed).toBeGreaterThanOrEqual(trialsPerCommand / 4);
    console.info(`activate trials: ${killed} of ${trialsPerCommand} killed before finishing, ${switched} switched keys`);
  });
});
