import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type KeyringChange, initKeyring, readKeyringManifest } from '../src/index.js';
import { updateKeyringHooked } from '../src/keyring/update-keyring.js';
import { temporaryDirectory, vector } from './helpers.js';

// Issue #12 item 3: two writers that took over the same stale keyring.lock both believed they
// held it, and one update vanished although its command exited 0.

const writer = fileURLToPath(new URL('./fixtures/keyring-writer.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
/** A lock left by a process that no longer exists (pid far above any pid_max). */
const staleLock = '999999999\n';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

async function newKeyring(): Promise<string> {
  const { dir, cleanup } = temporaryDirectory();
  cleanups.push(cleanup);
  const keyring = join(dir, 'keyring');
  await initKeyring(keyring);
  return keyring;
}

function addEntry(id: string, holdMs = 0): KeyringChange {
  return async (manifest) => {
    await sleep(holdMs); // a slow change: the other writer must wait for it, not interleave
    manifest.keys.push({
      id,
      purpose: 'request-encryption',
      environment: 'sandbox',
      status: 'pending',
      createdAt: new Date().toISOString(),
      certificateFile: `certs/${id}.crt.pem`,
      publicKeyFingerprint: 'c'.repeat(64),
    });
  };
}

describe('regression: keyring updates are never lost (#12.3)', () => {
  it('two writers taking over one stale lock, the second one reading the lock 100 ms late, both land', async () => {
    const dir = await newKeyring();
    writeFileSync(join(dir, 'keyring.lock'), staleLock);
    const slowRead = async (path: string) => {
      const holder = await readFile(path, 'utf8').catch(() => undefined);
      await sleep(100); // what the second writer saw is stale by the time it acts on it
      return holder;
    };
    await Promise.all([
      updateKeyringHooked(dir, addEntry('first', 300), {}, {}),
      updateKeyringHooked(dir, addEntry('second'), {}, { readHolder: slowRead }),
    ]);
    expect((await readKeyringManifest(dir)).keys.map((key) => key.id).sort()).toEqual(['first', 'second']);
    expect(existsSync(join(dir, 'keyring.lock'))).toBe(false);
  });

  it('8 processes × 25 updates, a stale lock planted and SIGKILLs in between: every acknowledged update is kept', { timeout: 60_000 }, async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run "pnpm run build" in packages/keys before this test.`);
    const dir = await newKeyring();
    writeFileSync(join(dir, 'keyring.lock'), staleLock);
    const slots = 8;
    const perSlot = 25;
    const acknowledged = new Set<string>();
    const done = new Array<number>(slots).fill(0);
    const running = new Map<number, ChildProcess>();
    const failures: string[] = [];
    let kills = 0;
    let reads = 0;

    const start = (slot: number, startAt: number): Promise<void> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [writer, dir, String(slot), String(perSlot - done[slot]!), String(startAt), vector('test_certificate.pem')], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        running.set(slot, child);
        let buffered = '';
        let stderr = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            acknowledged.add(line.replace(/^ok /, ''));
            done[slot]!++;
          }
        });
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('exit', (code, signal) => {
          running.delete(slot);
          if (signal === 'SIGKILL') {
            resolve(start(slot, 0)); // the next run of the "command" picks up where it died
          } else {
            if (code !== 0) failures.push(`slot ${slot} exited ${code}: ${stderr}`);
            resolve();
          }
        });
      });

    // All eight start at the same moment, so they race for the stale lock.
    const finished = Promise.all(Array.from({ length: slots }, (_, slot) => start(slot, Date.now() + 1_500)));
    let settled = false;
    void finished.then(() => {
      settled = true;
    });
    await sleep(1_500);
    while (!settled) {
      // Readers never see a torn or invalid manifest.
      await readKeyringManifest(dir);
      reads++;
      const victims = [...running.values()];
      if (kills < 10 && victims.length > 0 && Math.random() < 0.25) {
        victims[Math.floor(Math.random() * victims.length)]!.kill('SIGKILL');
        kills++;
      }
      await sleep(20 + Math.random() * 40);
    }

    expect(failures).toEqual([]);
    expect(kills).toBeGreaterThan(0);
    const manifest = await readKeyringManifest(dir);
    const ids = new Set(manifest.keys.map((key) => key.id));
    const lost = [...acknowledged].filter((id) => !ids.has(id));
    expect(lost).toEqual([]);
    expect(acknowledged.size).toBe(slots * perSlot);
    // Staged before the manifest: every referenced file exists.
    for (const key of manifest.keys) expect(existsSync(join(dir, key.certificateFile!)), key.certificateFile).toBe(true);
    expect(readdirSync(dir)).not.toContain('keyring.lock');
    console.info(`keyring writers: ${acknowledged.size} acknowledged updates kept, ${kills} SIGKILLs, ${reads} manifest reads`);
  });
});
