// Issue #17 §3: the lowest layer names no CLI command; keytool and the client add their own hint.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertCertificateCurrent, initKeyring, openKeyring, readKeyringManifest } from '../src/index.js';
import { temporaryDirectory, vector } from './helpers.js';

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

  it('an expired certificate: ERR_CERTIFICATE_EXPIRED without a command, unless the caller passes its hint', () => {
    const certificate = new X509Certificate(readFileSync(vector('test_certificate.pem')));
    const after = new Date(certificate.validTo).getTime() + 1000;
    const bare = () => assertCertificateCurrent(certificate, { now: after });
    expect(bare).toThrow(expect.objectContaining({ code: 'ERR_CERTIFICATE_EXPIRED', message: expect.stringContaining('expired on') }));
    expect(bare).not.toThrow(/keytool/);
    expect(() => assertCertificateCurrent(certificate, { now: after, expiredHint: 'Run acme renew.' })).toThrow(/expired on .*\. Run acme renew\.$/);
  });
});

