import { activateKey, importCertificate, rotateKey } from '@mcapi/keytool';
import { type Keyring, openKeyring } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIncoming } from '../demo/provision.js';
import { randomPan, startWorld, today, type World } from './helpers.js';

// A service opens its keyring with watch: true; an operator rotates the response-decryption key
// with keytool on the same directory (a shared volume). The running client picks the new key up
// without a restart or a reload() call, while requests keep flowing.

let world: World;
let watched: Keyring;
const reloads: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  watched = await openKeyring(world.provisioned.dir, {
    watch: { debounceMs: 50 },
    onReload: (keyring) => {
      reloads.push(keyring.active('response-decryption', 'sandbox').entry.publicKeyFingerprint);
    },
  });
});
afterAll(async () => {
  watched?.close();
  await world?.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  // Bounded by count, not by a wall-clock assertion: fs events arrive when the machine lets them.
  for (let attempt = 0; attempt < 600 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('openKeyring({ watch: true }) under a running client', () => {
  it('a keytool rotation on the keyring directory reaches the client with requests in flight: 0 failures', async () => {
    const client = world.makeClient({ keyring: watched });
    const { dir } = world.provisioned;
    const oldKid = watched.active('response-decryption', 'sandbox').entry.publicKeyFingerprint;
    let phase: 'before' | 'switched' | 'done' = 'before';
    let afterSwitch = 0;
    const failures: unknown[] = [];
    const worker = async () => {
      while (phase !== 'done') {
        const counted = phase === 'switched';
        await client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] }).catch((error: unknown) => {
          failures.push(error);
        });
        if (counted) {
          afterSwitch += 1;
          if (afterSwitch >= 10) phase = 'done';
        }
      }
    };
    const run = Promise.all([worker(), worker()]);

    // The operator's steps, exactly as keytool's CLI runs them; nobody calls watched.reload().
    const rotated = await rotateKey({ keyring: dir, purpose: 'response-decryption' });
    const issued = world.sandbox.dashboard.signCsr({ csr: rotated.csr, purpose: 'response-decryption' });
    await importCertificate({ keyring: dir, file: await writeIncoming(dir, `response-${rotated.id}.pem`, issued.certificate) });
    await activateKey({ keyring: dir, id: rotated.id });
    await until(() => reloads.includes(rotated.publicKeyFingerprint), 'the watcher to load the new key');
    expect(watched.decryptionKeys('sandbox').has(oldKid)).toBe(true);
    // Now Mastercard (the sandbox) starts encrypting responses to the new key.
    world.sandbox.dashboard.activateResponseDecryptionKey(issued.id);
    phase = 'switched';
    await run;

    expect(failures).toEqual([]);
    const kids = world.events.filter((event) => event.type === 'decrypted').map((event) => event.kid);
    expect(kids).toContain(oldKid);
    expect(kids.at(-1)).toBe(rotated.publicKeyFingerprint);
  });

  it('a damaged manifest written under it keeps the keys in use and warns', async () => {
    const warnings: string[] = [];
    const { writeFile, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const manifestPath = join(world.provisioned.dir, 'keyring.json');
    const original = await readFile(manifestPath, 'utf8');
    const keyring = await openKeyring(world.provisioned.dir, { watch: { debounceMs: 20 }, onWarning: (message) => warnings.push(message) });
    try {
      const kid = keyring.active('response-decryption', 'sandbox').entry.publicKeyFingerprint;
      await writeFile(manifestPath, '{"version": 1, "keys": [', { mode: 0o600 });
      await until(() => warnings.length > 0, 'the failed reload to be reported');
      expect(warnings[0]).toMatch(/could not be reloaded; the keys in use stay/);
      expect(keyring.active('response-decryption', 'sandbox').entry.publicKeyFingerprint).toBe(kid);
    } finally {
      await writeFile(manifestPath, original, { mode: 0o600 });
      keyring.close();
    }
  });
});
