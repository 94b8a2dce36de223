import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openKeyring, readKeyringManifest } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '../src/index.js';
import { assertBuilt, keytool, opensslCa, opensslSign, ok, secretFile } from './cli-helpers.js';
import { opensslPublicKeyFingerprint, temporaryDirectory, vector } from './helpers.js';
import { decryptWith, encryptTo } from './jwe-helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
const passphrase = 'keyring passphrase for the lifecycle';
let pass: string;
let ca: { key: string; certificate: string };
const keyring = () => join(dir, 'keyring');
const kr = (...args: string[]) => keytool(dir, [...args, '--keyring', 'keyring', '--passphrase-file', pass, '--non-interactive']);

beforeAll(() => {
  assertBuilt();
  pass = secretFile(dir, 'keyring.pass', passphrase);
  ca = opensslCa(dir);
  ok(keytool(dir, ['init', '--keyring', 'keyring']));
});

interface Created {
  id: string;
  csrFile: string;
  publicKeyFingerprint: string;
}

describe('key lifecycle through the binary', () => {
  let first: Created;
  let second: Created;

  it('csr → certificate from an openssl CA → import-cert (refusing strangers) → activate', async () => {
    first = ok(kr('csr', '--purpose', 'response-decryption', '--cn', 'decryption', '--o', 'Example Ltd', '--json')).json<Created>();
    const refused = kr('activate', first.id);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('has no certificate yet');

    // A certificate for some other key: refused like Java keytool's certificate reply.
    ok(keytool(dir, ['init', '--keyring', 'other']));
    const stranger = ok(keytool(dir, ['csr', '--keyring', 'other', '--purpose', 'mtls', '--cn', 'x', '--non-interactive', '--json'], {})).json<Created>();
    const strangerCertificate = opensslSign(dir, ca, stranger.csrFile, 'stranger');
    const noMatch = kr('import-cert', strangerCertificate);
    expect(noMatch.status).toBe(2);
    expect(noMatch.stderr).toContain('ERR_CERTIFICATE_NO_MATCH');
    expect(noMatch.stderr).toContain(first.id);

    const certificate = opensslSign(dir, ca, first.csrFile, 'first');
    const imported = ok(kr('import-cert', certificate, '--json')).json<{ id: string; ready: boolean; notAfter: string; certificateFingerprint: string }>();
    expect(imported).toMatchObject({ id: first.id, ready: true });
    expect(Date.parse(imported.notAfter)).toBeGreaterThan(Date.now() + 360 * 86_400_000);
    expect(kr('import-cert', certificate).stderr).toContain('already has a certificate');

    const activated = ok(kr('activate', first.id, '--json')).json<{ id: string; status: string; replaced?: string }>();
    expect(activated).toMatchObject({ id: first.id, status: 'active' });
    expect(activated.replaced).toBeUndefined();
  });

  it('rotate → import → activate: both keys decrypt a JWE addressed to them; after retire only the new one', async () => {
    const rotated = ok(kr('rotate', '--purpose', 'response-decryption', '--json')).json<Created & { replaces: string; subject: string }>();
    expect(rotated).toMatchObject({ replaces: first.id, subject: 'CN=decryption,O=Example Ltd' });
    second = rotated;
    ok(kr('import-cert', opensslSign(dir, ca, second.csrFile, 'second')));

    // Before activation: the new key does not decrypt yet (it is pending).
    let ring = await openKeyring(keyring(), { passphrase });
    expect([...ring.decryptionKeys('sandbox').keys()]).toEqual([first.publicKeyFingerprint]);

    const activated = ok(kr('activate', second.id, '--json')).json<{ replaced: string }>();
    expect(activated.replaced).toBe(first.id);
    await ring.reload();
    const keys = ring.decryptionKeys('sandbox');
    expect(new Set(keys.keys())).toEqual(new Set([first.publicKeyFingerprint, second.publicKeyFingerprint]));
    const active = ring.active('response-decryption', 'sandbox');
    expect(active.entry.id).toBe(second.id);

    const firstPublic = (await openKeyring(keyring(), { passphrase })).entries().find((entry) => entry.id === first.id)!;
    expect(firstPublic.status).toBe('previous');
    const oldCertificate = join(dir, 'first.crt.pem');
    const oldPublicKey = new X509Certificate(readFileSync(oldCertificate)).publicKey;
    const toOld = encryptTo(oldPublicKey, first.publicKeyFingerprint, '{"to":"old"}');
    const toNew = encryptTo(active.publicKey, second.publicKeyFingerprint, '{"to":"new"}');
    expect(decryptWith(keys, toOld)).toBe('{"to":"old"}');
    expect(decryptWith(keys, toNew)).toBe('{"to":"new"}');

    // The active key can never be retired.
    const refused = kr('retire', second.id);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is the active response-decryption key');

    ok(kr('retire', first.id));
    await ring.reload();
    const after = ring.decryptionKeys('sandbox');
    expect([...after.keys()]).toEqual([second.publicKeyFingerprint]);
    expect(decryptWith(after, toNew)).toBe('{"to":"new"}');
    expect(() => decryptWith(after, toOld)).toThrow(/no decryption key/);
    ring = await openKeyring(keyring(), { passphrase });
    expect(ring.entries().find((entry) => entry.id === first.id)?.status).toBe('retired');
  });

  it('retire --destroy needs confirmation (--yes when non-interactive), then deletes the key files', async () => {
    const entry = (await readKeyringManifest(keyring())).keys.find((key) => key.id === first.id)!;
    const keyFile = join(keyring(), entry.privateKeyFile!);
    expect(existsSync(keyFile)).toBe(true);
    const unconfirmed = kr('retire', first.id, '--destroy');
    expect(unconfirmed.status).toBe(64);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(existsSync(keyFile)).toBe(true);
    ok(kr('retire', first.id, '--destroy', '--yes'));
    expect(existsSync(keyFile)).toBe(false);
    expect((await readKeyringManifest(keyring())).keys.map((key) => key.id)).toEqual([second.id]);
  });

  it('list shows a table and --json objects with ids; inspect and fingerprint agree with openssl', () => {
    const table = ok(kr('list')).stdout;
    expect(table.split('\n')[0]).toMatch(/^ID\s+PURPOSE\s+ENV\s+STATUS\s+FINGERPRINT\s+EXPIRES\s+CONSUMER KEY$/);
    expect(table).toMatch(new RegExp(`${second.id}\\s+response-decryption\\s+sandbox\\s+active\\s+${second.publicKeyFingerprint.slice(0, 16)}…\\s+36[45]d`));
    const listed = ok(kr('list', '--json')).json<{ id: string; status: string }[]>();
    expect(listed.map((key) => [key.id, key.status])).toEqual([[second.id, 'active']]);

    const certificate = join(dir, 'second.crt.pem');
    const inspected = ok(kr('inspect', certificate, '--json')).json<{ id: string; kind: string; key: { publicKeyFingerprint: string } }>();
    expect(inspected).toMatchObject({ id: second.id, kind: 'certificate' });
    expect(inspected.key.publicKeyFingerprint).toBe(opensslPublicKeyFingerprint(certificate, 'x509'));
    expect(ok(kr('inspect', second.id)).stdout).toContain(`public key SHA-256      ${second.publicKeyFingerprint}`);
    expect(ok(kr('fingerprint', second.id)).stdout.trim()).toBe(second.publicKeyFingerprint);
  });

  it('import-cert --purpose request-encryption stores Mastercard\'s certificate; export-jwk(s) use the public-key fingerprint as kid', () => {
    const imported = ok(kr('import-cert', vector('test_certificate.pem'), '--purpose', 'request-encryption', '--json')).json<{ id: string; files: Record<string, string> }>();
    expect(imported.id).toMatch(/^re-sandbox-/);
    expect(imported.files.privateKey).toBeUndefined();
    expect(kr('import-cert', vector('test_certificate.pem'), '--purpose', 'request-encryption').stderr).toContain('already in the keyring');
    ok(kr('activate', imported.id));
    const jwk = ok(kr('export-jwk', imported.id, '--json')).json<{ id: string; jwk: Record<string, unknown> }>();
    expect(jwk.id).toBe(imported.id);
    expect(jwk.jwk).toMatchObject({ kty: 'RSA', kid: '761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79', use: 'enc', alg: 'RSA-OAEP-256' });
    expect(jwk.jwk.d).toBeUndefined();
    expect(jwk.jwk['x5t#S256']).toBe(Buffer.from('80810fc13a8319fcf0e2ec322c82a4c304b782cc3ce671176343cfe8160c2279', 'hex').toString('base64url'));
    const jwks = JSON.parse(ok(kr('export-jwks', '--purpose', 'response-decryption')).stdout) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([second.publicKeyFingerprint]);
    expect(jwks.keys[0]!.d).toBeUndefined();
  });
});

describe('mcapi-keytool check', () => {
  it('exits 0 when nothing active expires within the window, 1 when something does', () => {
    const healthy = keytool(dir, ['check', '--keyring', 'keyring', '--expires-in', '30d', '--passphrase-file', pass, '--json']);
    expect(healthy.status, healthy.stderr).toBe(0);
    expect(healthy.json()).toMatchObject({ status: 'ok', exitCode: 0 });
    // Without the passphrase it still checks certificates against the manifest.
    expect(keytool(dir, ['check', '--keyring', 'keyring', '--non-interactive']).status).toBe(0);
    const expiring = keytool(dir, ['check', '--keyring', 'keyring', '--expires-in', '400d', '--passphrase-file', pass]);
    expect(expiring.status).toBe(1);
    expect(expiring.stdout).toMatch(/expiring\s+rd-sandbox-/);
  });

  it('exits 2 for an expired active certificate and for a broken keyring', async () => {
    ok(keytool(dir, ['init', '--keyring', 'old']));
    const created = ok(keytool(dir, ['csr', '--keyring', 'old', '--purpose', 'mtls', '--cn', 'old', '--json', '--non-interactive'])).json<Created>();
    const issuer = await createCertificateAuthority({ commonName: 'past CA' });
    const expired = issueCertificate({
      issuer,
      csr: readFileSync(created.csrFile, 'utf8'),
      usage: 'client',
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    writeFileSync(join(dir, 'expired.pem'), expired.toString());
    ok(keytool(dir, ['import-cert', 'expired.pem', '--keyring', 'old']));
    const refused = keytool(dir, ['activate', created.id, '--keyring', 'old']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('ERR_CERTIFICATE_EXPIRED');
    ok(keytool(dir, ['activate', created.id, '--keyring', 'old', '--force']));
    const check = keytool(dir, ['check', '--keyring', 'old', '--json']);
    expect(check.status).toBe(2);
    expect(check.json()).toMatchObject({ status: 'expired', keys: [{ id: created.id, state: 'expired' }] });

    writeFileSync(join(dir, 'old', 'keyring.json'), '{"version":1,"keys":[{"id":');
    const broken = keytool(dir, ['check', '--keyring', 'old']);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toContain('broken');
    expect(keytool(dir, ['check', '--keyring', 'nowhere']).status).toBe(2);
  });

  it('a key file swapped behind the manifest\'s back makes check report the keyring broken', async () => {
    ok(keytool(dir, ['init', '--keyring', 'swapped']));
    const created = ok(keytool(dir, ['csr', '--keyring', 'swapped', '--purpose', 'mtls', '--cn', 'a', '--json', '--non-interactive'])).json<Created>();
    ok(keytool(dir, ['import-cert', opensslSign(dir, ca, created.csrFile, 'swapped'), '--keyring', 'swapped']));
    ok(keytool(dir, ['activate', created.id, '--keyring', 'swapped']));
    const manifest = await readKeyringManifest(join(dir, 'swapped'));
    const { privateKey } = await generateRsaKeyPair();
    writeFileSync(join(dir, 'swapped', manifest.keys[0]!.privateKeyFile!), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const check = keytool(dir, ['check', '--keyring', 'swapped', '--json']);
    expect(check.status).toBe(2);
    expect(check.json()).toMatchObject({ status: 'broken', keys: [{ id: created.id, state: 'broken' }] });
  });
});
