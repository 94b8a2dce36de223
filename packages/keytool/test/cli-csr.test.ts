import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyringManifest } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, keytool, secretFile } from './cli-helpers.js';
import { openssl, opensslAll, opensslPublicKeyFingerprint, temporaryDirectory } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
const mode = (path: string) => statSync(path).mode & 0o777;

beforeAll(() => {
  assertBuilt();
  expect(keytool(dir, ['init', '--keyring', 'plain']).status).toBe(0);
});

describe('mcapi-keytool csr', () => {
  it('creates a pending key and a CSR that openssl verifies, signed with sha256WithRSAEncryption, with the subject asked for', () => {
    const run = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'response-decryption', '--cn', 'payments-decryption', '--o', 'Example Ltd', '--ou', 'Payments', '--c', 'GB', '--out', 'rd.csr', '--json', '--non-interactive']);
    expect(run.status, run.stderr).toBe(0);
    const result = run.json<{ id: string; status: string; csrFile: string; outFile: string; publicKeyFingerprint: string; nextStep: string }>();
    expect(result).toMatchObject({ status: 'pending', outFile: 'rd.csr' });
    expect(result.id).toMatch(/^rd-sandbox-\d{8}-[0-9a-f]{6}$/);
    expect(result.nextStep).toContain('import-cert');
    expect(run.stderr).toMatch(/warning: the private key is stored unencrypted/);

    const text = opensslAll(['req', '-in', join(dir, 'rd.csr'), '-noout', '-verify', '-text']);
    expect(text).toMatch(/verify OK/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Subject: C = GB, O = Example Ltd, OU = Payments, CN = payments-decryption');
    expect(text).toContain('Public-Key: (2048 bit)');
    // The keyring's copy is the same request; its fingerprint is the CSR key's SPKI SHA-256 as openssl computes it.
    expect(readFileSync(result.csrFile, 'utf8')).toBe(readFileSync(join(dir, 'rd.csr'), 'utf8'));
    expect(result.publicKeyFingerprint).toBe(opensslPublicKeyFingerprint(join(dir, 'rd.csr'), 'req'));
  });

  it('keeps files private: keyring and key directories 0700, key and manifest 0600', async () => {
    const keyring = join(dir, 'plain');
    const manifest = await readKeyringManifest(keyring);
    const entry = manifest.keys[0]!;
    expect(mode(keyring)).toBe(0o700);
    expect(mode(join(keyring, 'keys'))).toBe(0o700);
    expect(mode(join(keyring, entry.privateKeyFile!))).toBe(0o600);
    expect(mode(join(keyring, 'keyring.json'))).toBe(0o600);
    expect(readFileSync(join(keyring, entry.privateKeyFile!), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(entry).toMatchObject({ status: 'pending', purpose: 'response-decryption', environment: 'sandbox', subject: 'CN=payments-decryption,OU=Payments,O=Example Ltd,C=GB' });
  });

  it('refuses a second csr to the same --out without --force, leaving the file and the keyring untouched', async () => {
    const before = readFileSync(join(dir, 'rd.csr'), 'utf8');
    const keysBefore = (await readKeyringManifest(join(dir, 'plain'))).keys.length;
    const refused = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'response-decryption', '--cn', 'again', '--out', 'rd.csr', '--non-interactive']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('ERR_FILE_EXISTS');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'rd.csr'), 'utf8')).toBe(before);
    expect((await readKeyringManifest(join(dir, 'plain'))).keys).toHaveLength(keysBefore);

    const forced = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'response-decryption', '--cn', 'again', '--out', 'rd.csr', '--force', '--non-interactive']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'rd.csr'), 'utf8')).not.toBe(before);
    expect(opensslAll(['req', '-in', join(dir, 'rd.csr'), '-noout', '-subject'])).toContain('CN = again');
  });

  it('builds the sandbox mTLS CN <epoch>-Client-MTF-<CID> within 64 characters', () => {
    const before = Math.floor(Date.now() / 1000);
    const run = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'mtls', '--sandbox-cn', '000000', '--o', 'Example Ltd', '--json', '--non-interactive']);
    expect(run.status, run.stderr).toBe(0);
    const { subject, csrFile } = run.json<{ subject: string; csrFile: string }>();
    const cn = /CN=(\d+)-Client-MTF-000000,O=Example Ltd/.exec(subject);
    expect(cn).not.toBeNull();
    expect(Number(cn![1])).toBeGreaterThanOrEqual(before);
    expect(Number(cn![1])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(opensslAll(['req', '-in', csrFile, '-noout', '-subject'])).toMatch(/CN = \d+-Client-MTF-000000/);

    const tooLong = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'mtls', '--sandbox-cn', 'x'.repeat(60), '--non-interactive']);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('longer than 64');
    const production = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'mtls', '--environment', 'production', '--sandbox-cn', '000000', '--non-interactive']);
    expect(production.stderr).toContain('only for mtls keys in the sandbox');
  });

  it('encrypts keys as PKCS#8 with the keyring passphrase and then requires that passphrase for new keys', async () => {
    expect(keytool(dir, ['init', '--keyring', 'sealed']).status).toBe(0);
    const pass = secretFile(dir, 'keyring.pass', 'correct horse battery staple');
    const run = keytool(dir, ['csr', '--keyring', 'sealed', '--purpose', 'signing', '--cn', 'signer', '--passphrase-file', pass, '--json', '--non-interactive']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('unencrypted');
    const { files, privateKeyEncrypted } = run.json<{ files: { privateKey: string }; privateKeyEncrypted: boolean }>();
    expect(privateKeyEncrypted).toBe(true);
    expect(readFileSync(files.privateKey, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    // PBES2 with a modern cipher, readable by openssl with the passphrase only.
    expect(openssl(['asn1parse', '-in', files.privateKey])).toMatch(/PBES2[\s\S]*PBKDF2[\s\S]*aes-256-cbc/);
    expect(openssl(['pkey', '-in', files.privateKey, '-passin', 'env:PASS', '-noout'], { PASS: 'correct horse battery staple' })).toBe('');
    expect(() => openssl(['pkey', '-in', files.privateKey, '-passin', 'env:PASS', '-noout'], { PASS: 'wrong' })).toThrow();

    const missing = keytool(dir, ['csr', '--keyring', 'sealed', '--purpose', 'signing', '--cn', 'signer2', '--non-interactive']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ERR_KEY_PASSPHRASE');
    const wrong = keytool(dir, ['csr', '--keyring', 'sealed', '--purpose', 'signing', '--cn', 'signer2', '--passphrase-env', 'KR_PASS', '--non-interactive'], { KR_PASS: 'not it' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('does not open the keyring');
    expect(wrong.stderr).not.toContain('not it');
    const viaDefaultEnv = keytool(dir, ['csr', '--keyring', 'sealed', '--purpose', 'signing', '--cn', 'signer2', '--non-interactive'], { MCAPI_KEYRING_PASSPHRASE: 'correct horse battery staple' });
    expect(viaDefaultEnv.status, viaDefaultEnv.stderr).toBe(0);
    expect((await readKeyringManifest(join(dir, 'sealed'))).keys.map((key) => key.privateKeyEncrypted)).toEqual([true, true]);
  });

  it('never takes a passphrase as a command-line value, and reports usage errors with exit code 64', () => {
    const run = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'signing', '--cn', 'x', '--passphrase', 'hunter2']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('never taken as command-line values');
    expect(run.stderr).not.toContain('hunter2');
    // The secret typed where a variable name belongs is refused without being echoed.
    const asVariable = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'signing', '--cn', 'x', '--passphrase-env', 'hunter2!', '--non-interactive']);
    expect(asVariable.status).toBe(64);
    expect(asVariable.stderr).toContain('takes the name of an environment variable');
    expect(asVariable.stderr).not.toContain('hunter2');
    const unreadable = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'signing', '--cn', 'x', '--passphrase-file', 'missing.pass', '--non-interactive']);
    expect(unreadable.status).toBe(64);
    expect(unreadable.stderr).toContain('Cannot read --passphrase-file missing.pass (ENOENT). Check the path');
    expect(keytool(dir, ['csr', '--keyring', 'plain', '--cn', 'x']).stderr).toContain('csr needs --purpose');
    expect(keytool(dir, ['frobnicate']).status).toBe(64);
    const encryption = keytool(dir, ['csr', '--keyring', 'plain', '--purpose', 'request-encryption', '--cn', 'x', '--non-interactive']);
    expect(encryption.stderr).toContain('import-cert FILE --purpose request-encryption');
  });

  it('--json prints only JSON on stdout, errors included; --help shows examples and exit codes', () => {
    const failed = keytool(dir, ['activate', 'nope', '--keyring', 'plain', '--json']);
    expect(failed.status).toBe(2);
    expect(failed.json()).toEqual({ error: { code: 'ERR_KEYRING_ENTRY', message: expect.stringContaining('No key "nope"') } });
    const help = keytool(dir, ['csr', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('--sandbox-cn CID');
    expect(keytool(dir, ['--help']).stdout).toMatch(/export-p12[\s\S]*check[\s\S]*64 {2}usage error/);
  });

  it('uses MCAPI_KEYRING, then ./.mcapi/keyring, when --keyring is absent', () => {
    expect(keytool(dir, ['init'], { MCAPI_KEYRING: join(dir, 'from-env') }).status).toBe(0);
    expect(statSync(join(dir, 'from-env', 'keyring.json')).isFile()).toBe(true);
    expect(keytool(dir, ['init']).status).toBe(0);
    expect(statSync(join(dir, '.mcapi', 'keyring', 'keyring.json')).isFile()).toBe(true);
    expect(keytool(dir, ['list', '--json']).json()).toEqual([]);
  });
});
