// `csr --pkcs11` through the real binary against a SoftHSM2 token made for this run: the key pair
// is generated inside the token, the CSR is signed there (openssl req -verify passes), and the
// keyring records a PKCS#11 reference instead of a key file; import-cert, activate, rotate and
// retire work on such entries as on file keys.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyringManifest } from '@mcapi/keys';
import { openPkcs11 } from '@mcapi/pkcs11';
import { type SoftHsmToken, createSoftHsmToken, serviceAvailable } from '@mcapi/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, keytool, ok, opensslCa, opensslSign } from './cli-helpers.js';
import { opensslAll, opensslPublicKeyFingerprint, temporaryDirectory } from './helpers.js';

const haveSoftHsm = serviceAvailable({ command: 'softhsm2-util', versionArgs: ['--version'], aptPackage: 'softhsm2' });

describe.skipIf(!haveSoftHsm)('keytool csr --pkcs11 (SoftHSM2)', () => {
  const { dir, cleanup } = temporaryDirectory();
  let token: SoftHsmToken;
  let ca: { key: string; certificate: string };
  let env: Record<string, string>;
  const kr = (...args: string[]) => keytool(dir, [...args, '--keyring', 'keyring', '--non-interactive'], env);

  beforeAll(async () => {
    assertBuilt();
    token = await createSoftHsmToken('mcapi-keytool');
    env = { SOFTHSM2_CONF: token.conf, MCAPI_TEST_HSM_PIN: token.pin };
    ca = opensslCa(dir);
    ok(keytool(dir, ['init', '--keyring', 'keyring'], env));
  });
  afterAll(async () => {
    cleanup();
    await token?.remove();
  });

  const hsmArgs = () => ['--pkcs11', token.module, '--token', token.tokenLabel, '--pin-env', 'MCAPI_TEST_HSM_PIN'];
  interface Created {
    id: string;
    csrFile: string;
    publicKeyFingerprint: string;
    privateKeyRef: string;
  }

  it('generates the key in the token, signs the CSR there, records a pkcs11: reference; then import-cert, activate, rotate, retire', async () => {
    const first = ok(kr('csr', '--purpose', 'signing', '--cn', 'payments-oauth', '--o', 'Example Ltd', ...hsmArgs(), '--key-label', 'oauth-2026', '--json')).json<Created>();
    expect(opensslAll(['req', '-in', first.csrFile, '-verify', '-noout'])).toMatch(/verify OK|Certificate request self-signature verify OK/);
    expect(opensslAll(['req', '-in', first.csrFile, '-noout', '-text'])).toContain('sha256WithRSAEncryption');
    expect(opensslPublicKeyFingerprint(first.csrFile, 'req')).toBe(first.publicKeyFingerprint);
    expect(first.privateKeyRef).toMatch(/^pkcs11:token=mcapi-keytool;id=(%[0-9a-f]{2})+;object=oauth-2026;type=private$/);
    expect(first.privateKeyRef).not.toContain(token.pin);

    // No key file anywhere in the keyring; the manifest holds the reference.
    const manifest = await readKeyringManifest(join(dir, 'keyring'));
    const entry = manifest.keys.find((key) => key.id === first.id)!;
    expect(entry.privateKeyRef).toBe(first.privateKeyRef);
    expect(entry.privateKeyFile).toBeUndefined();
    const keysDir = join(dir, 'keyring', 'keys');
    expect(existsSync(keysDir) ? readdirSync(keysDir) : []).toEqual([]);

    // The token holds the private key whose public half is in the CSR.
    process.env.MCAPI_TEST_HSM_PIN = token.pin;
    const hsm = await openPkcs11({ module: token.module, tokenLabel: token.tokenLabel, pinEnv: 'MCAPI_TEST_HSM_PIN' });
    try {
      const key = await hsm.key({ label: 'oauth-2026' });
      expect(key.reference).toBe(first.privateKeyRef);
    } finally {
      await hsm.close();
      delete process.env.MCAPI_TEST_HSM_PIN;
    }

    const certificate = opensslSign(dir, ca, first.csrFile, 'oauth-2026');
    ok(kr('import-cert', certificate, '--consumer-key', 'abc!123'));
    ok(kr('activate', first.id));

    // rotate refuses to make a file key for an HSM-held active key, and makes the next one in the token.
    const refused = kr('rotate', '--purpose', 'signing');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--pkcs11 MODULE --pin-env VAR');
    const second = ok(kr('rotate', '--purpose', 'signing', '--pkcs11', token.module, '--pin-env', 'MCAPI_TEST_HSM_PIN', '--json')).json<Created>();
    expect(second.privateKeyRef).toMatch(/^pkcs11:token=mcapi-keytool;/);
    expect(opensslAll(['req', '-in', second.csrFile, '-verify', '-noout'])).toMatch(/verify OK/);
    expect(new X509Certificate(readFileSync(opensslSign(dir, ca, second.csrFile, 'oauth-2027'))).subject).toContain('payments-oauth');
    ok(kr('import-cert', join(dir, 'oauth-2027.crt.pem'), '--consumer-key', 'abc!123'));
    ok(kr('activate', second.id));
    ok(kr('retire', first.id));
    const after = await readKeyringManifest(join(dir, 'keyring'));
    expect(after.keys.map((key) => [key.id, key.status])).toEqual([
      [first.id, 'retired'],
      [second.id, 'active'],
    ]);
  });

  it('a wrong PIN or an unknown token fails with the typed error and no key entry', async () => {
    const wrong = keytool(dir, ['csr', '--keyring', 'keyring', '--non-interactive', '--purpose', 'mtls', '--cn', 'x', ...hsmArgs()], {
      ...env,
      MCAPI_TEST_HSM_PIN: '000000',
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('PIN');
    expect(wrong.stderr).not.toContain('000000');
    const unknown = kr('csr', '--purpose', 'mtls', '--cn', 'x', '--pkcs11', token.module, '--token', 'absent', '--pin-env', 'MCAPI_TEST_HSM_PIN');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('No token labelled absent');
    expect((await readKeyringManifest(join(dir, 'keyring'))).keys).toHaveLength(2);
  });
});
