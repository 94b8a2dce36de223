import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMcapiError } from '@mcapi/errors';
import { type KeyringEntry, initKeyring, openKeyring, publicKeyFingerprint, updateKeyring } from '@mcapi/keys';
import type { KeyObject } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { otherPrivateKey, privateKeyPkcs8 } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'mcapi-jwe-keyring-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function addKey(dir: string, id: string, status: KeyringEntry['status'], key: KeyObject): Promise<void> {
  await updateKeyring(dir, async (manifest, files) => {
    manifest.keys.push({
      id,
      purpose: 'response-decryption',
      environment: 'sandbox',
      status,
      createdAt: new Date().toISOString(),
      privateKeyFile: await files.writePrivateKey(id, key),
      publicKeyFingerprint: publicKeyFingerprint(key),
    });
  });
}

describe("a keyring's decryptionKeys() as options.keys", () => {
  it('decrypts responses to the active and the previous key during a rotation, by kid', async () => {
    const dir = join(root, 'keyring');
    await initKeyring(dir);
    await addKey(dir, 'rd-old', 'previous', privateKeyPkcs8);
    await addKey(dir, 'rd-new', 'active', otherPrivateKey());
    const keyring = await openKeyring(dir);
    const keys = keyring.decryptionKeys('sandbox');

    for (const [key, text] of [
      [privateKeyPkcs8, 'to the previous key'],
      [otherPrivateKey(), 'to the active key'],
    ] as const) {
      const token = await encrypt(text, { key });
      expect(new TextDecoder().decode((await decrypt(token, { keys })).plaintext)).toBe(text);
    }

    // After the previous key is retired, its responses name an unknown kid.
    await updateKeyring(dir, (manifest) => {
      for (const entry of manifest.keys) if (entry.id === 'rd-old') entry.status = 'retired';
      return manifest;
    });
    await keyring.reload();
    const stale = await encrypt('late', { key: privateKeyPkcs8 });
    const error = await decrypt(stale, { keys: keyring.decryptionKeys('sandbox') }).catch((e: unknown) => e);
    expect(isMcapiError(error, 'ERR_JWE_UNKNOWN_KID')).toBe(true);
    expect((error as Error).message).toContain(publicKeyFingerprint(otherPrivateKey()));
  });
});
