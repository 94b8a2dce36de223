// Issue #17 §3: the lowest layer names no CLI command; keytool and the client add their own hint.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initKeyring, openKeyring, readKeyringManifest } from '../src/index.js';
import { temporaryDirectory } from './helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe('regression: @mcapi/keys messages name no CLI command (issue #17 §3)', () => {
  it('a missing keyring: ERR_KEYRING_NOT_FOUND says what is wrong without naming mcapi-keytool', async () => {
    const { dir, cleanup } = temporaryDirectory();
    cleanups.push(cleanup);
    const error = await readKeyringManifest(join(dir, 'nowhere')).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'ERR_KEYRING_NOT_FOUND', message: expect.stringContaining('No keyring at') });
    expect((error as Error).message).not.toMatch(/mcapi-keytool|keytool/);
  });

  it('no active key: ERR_KEYRING_ENTRY names purpose and environment, not a command', async () => {
    const { dir, cleanup } = temporaryDirectory();
    cleanups.push(cleanup);
    await initKeyring(join(dir, 'k'));
    const keyring = await openKeyring(join(dir, 'k'));
    let error: unknown;
    try {
      keyring.active('mtls', 'sandbox');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'ERR_KEYRING_ENTRY', message: expect.stringContaining('no active mtls key for sandbox') });
    expect((error as Error).message).not.toMatch(/mcapi-keytool|keytool|import-cert/);
  });
});
