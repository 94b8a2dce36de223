import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkcs12, publicKeyFingerprint } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, keytool, opensslCa, opensslSign, ok, secretFile } from './cli-helpers.js';
import { openssl, opensslAll, opensslPublicKeyFingerprint, temporaryDirectory, vector } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
const p12Password = 'export password 1';
let p12Pass: string;
let id: string;
let certificateFile: string;

beforeAll(() => {
  assertBuilt();
  p12Pass = secretFile(dir, 'p12.pass', p12Password);
  const ca = opensslCa(dir);
  ok(keytool(dir, ['init', '--keyring', 'k']));
  const created = ok(keytool(dir, ['csr', '--keyring', 'k', '--purpose', 'signing', '--cn', 'signer', '--o', 'Example Ltd', '--json', '--non-interactive'])).json<{ id: string; csrFile: string }>();
  id = created.id;
  certificateFile = opensslSign(dir, ca, created.csrFile, 'signer');
  ok(keytool(dir, ['import-cert', certificateFile, '--keyring', 'k', '--consumer-key', 'abcdef!0123456789']));
});

describe('export-p12', () => {
  it('writes an AES-256 PKCS#12 that openssl 3 opens without -legacy, with the key in a shrouded bag named by the alias', async () => {
    const run = ok(keytool(dir, ['export-p12', id, '--keyring', 'k', '--out', 'signing.p12', '--alias', 'keyalias', '--p12-passphrase-file', p12Pass, '--json', '--non-interactive']));
    expect(run.json()).toMatchObject({ id, alias: 'keyalias', encryption: expect.stringContaining('AES-256') });
    const file = join(dir, 'signing.p12');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = opensslAll(['pkcs12', '-in', file, '-info', '-noout', '-passin', 'env:P12'], { P12: p12Password });
    expect(info).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC');
    expect(info).toMatch(/PRF hmacWithSHA256/);
    expect(info).toContain('MAC: sha1');
    const dump = openssl(['pkcs12', '-in', file, '-nodes', '-passin', 'env:P12'], { P12: p12Password });
    expect(dump.match(/friendlyName: keyalias/g)?.length).toBeGreaterThanOrEqual(2); // key bag and certificate bag
    expect(dump).toContain('-----BEGIN PRIVATE KEY-----');
    expect(() => openssl(['pkcs12', '-in', file, '-info', '-noout', '-passin', 'env:P12'], { P12: 'wrong' })).toThrow();

    const loaded = await loadPkcs12({ path: file }, { passphrase: p12Password, alias: 'keyalias' });
    expect(loaded.alias).toBe('keyalias');
    expect(publicKeyFingerprint(loaded.privateKey)).toBe(opensslPublicKeyFingerprint(certificateFile, 'x509'));
    expect(loaded.certificate.toString().trim()).toBe(openssl(['x509', '-in', certificateFile]).trim());
  });

  it('--legacy writes a 3DES key bag that openssl opens with -legacy', async () => {
    ok(keytool(dir, ['export-p12', id, '--keyring', 'k', '--out', 'legacy.p12', '--legacy', '--p12-passphrase-env', 'P12', '--non-interactive'], { P12: p12Password }));
    const file = join(dir, 'legacy.p12');
    const info = opensslAll(['pkcs12', '-legacy', '-in', file, '-info', '-noout', '-passin', 'env:P12'], { P12: p12Password });
    expect(info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
    // Default alias: the key id.
    expect(openssl(['pkcs12', '-legacy', '-in', file, '-nodes', '-passin', 'env:P12'], { P12: p12Password })).toContain(`friendlyName: ${id}`);
    expect((await loadPkcs12({ path: file }, { passphrase: p12Password, alias: id })).alias).toBe(id);
  });

  it('is always password-protected and never overwrites without --force', () => {
    const noPassword = keytool(dir, ['export-p12', id, '--keyring', 'k', '--out', 'x.p12', '--non-interactive']);
    expect(noPassword.status).toBe(64);
    expect(noPassword.stderr).toContain('--p12-passphrase-file');
    const again = keytool(dir, ['export-p12', id, '--keyring', 'k', '--out', 'signing.p12', '--p12-passphrase-file', p12Pass, '--non-interactive']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('ERR_FILE_EXISTS');
    ok(keytool(dir, ['export-p12', id, '--keyring', 'k', '--out', 'signing.p12', '--p12-passphrase-file', p12Pass, '--force', '--non-interactive']));
  });
});

describe('import-p12 and fingerprint', () => {
  it('imports Mastercard\'s legacy RC2/3DES test keystore by alias, re-encrypting the key with the keyring passphrase', () => {
    const keyringPass = secretFile(dir, 'kr.pass', 'keyring secret');
    ok(keytool(dir, ['init', '--keyring', 'imported']));
    const run = ok(
      keytool(dir, ['import-p12', vector('test_key_container.p12'), '--keyring', 'imported', '--purpose', 'signing', '--alias', 'mykeyalias', '--consumer-key', 'ck!1', '--p12-passphrase-env', 'P12', '--passphrase-file', keyringPass, '--json', '--non-interactive'], { P12: 'Password1' }),
    );
    const imported = run.json<{ id: string; ready: boolean; alias: string; consumerKey: string; publicKeyFingerprint: string; files: { privateKey: string } }>();
    expect(imported).toMatchObject({ ready: true, alias: 'mykeyalias', consumerKey: 'ck!1', publicKeyFingerprint: 'b5145543a3caa95916304b289c562c195b149047b9e1b430e91178b1021c484d' });
    expect(readFileSync(imported.files.privateKey, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const wrong = keytool(dir, ['import-p12', vector('test_key_container.p12'), '--keyring', 'imported', '--purpose', 'signing', '--p12-passphrase-env', 'P12', '--passphrase-file', keyringPass, '--non-interactive'], { P12: 'nope' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('ERR_KEY_PASSPHRASE');
    const duplicate = keytool(dir, ['import-p12', vector('test_key_container.p12'), '--keyring', 'imported', '--purpose', 'signing', '--p12-passphrase-env', 'P12', '--passphrase-file', keyringPass, '--non-interactive'], { P12: 'Password1' });
    expect(duplicate.stderr).toContain(`already in the keyring as ${imported.id}`);
  });

  it('prints the same fingerprints as openssl: public key (hex, base64), certificate, and the RFC 7638 thumbprint', () => {
    const publicHex = opensslPublicKeyFingerprint(certificateFile, 'x509');
    expect(ok(keytool(dir, ['fingerprint', certificateFile])).stdout.trim()).toBe(publicHex);
    expect(ok(keytool(dir, ['fingerprint', certificateFile, '--encoding', 'base64'])).stdout.trim()).toBe(Buffer.from(publicHex, 'hex').toString('base64'));
    const opensslCertificate = openssl(['x509', '-in', certificateFile, '-noout', '-fingerprint', '-sha256']).trim().split('=')[1]!.replace(/:/g, '').toLowerCase();
    expect(ok(keytool(dir, ['fingerprint', certificateFile, '--type', 'certificate'])).stdout.trim()).toBe(opensslCertificate);
    expect(ok(keytool(dir, ['fingerprint', certificateFile, '--type', 'certificate', '--encoding', 'base64'])).stdout.trim()).toBe(Buffer.from(opensslCertificate, 'hex').toString('base64'));
    const fromKeyring = ok(keytool(dir, ['fingerprint', certificateFile, '--keyring', 'k', '--json'])).json();
    expect(fromKeyring).toEqual({ id, type: 'public-key', encoding: 'hex', fingerprint: publicHex });
    // The same key through its PKCS#12 export (password from the environment) and its CSR.
    expect(ok(keytool(dir, ['fingerprint', 'signing.p12', '--p12-passphrase-file', p12Pass, '--non-interactive'])).stdout.trim()).toBe(publicHex);
    const jwk = ok(keytool(dir, ['fingerprint', certificateFile, '--jwk'])).stdout.trim();
    // RFC 7638 §3: SHA-256 over {"e","kty","n"} in that order, computed here from openssl's public key.
    const { e, kty, n } = createPublicKey(openssl(['x509', '-in', certificateFile, '-noout', '-pubkey'])).export({ format: 'jwk' });
    expect(jwk).toBe(createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url'));
    expect(keytool(dir, ['fingerprint', vector('test_certificate.pem')]).stdout.trim()).toBe('761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79');
    const p12NoPassword = keytool(dir, ['fingerprint', 'signing.p12', '--non-interactive']);
    expect(p12NoPassword.status).toBe(2);
    expect(p12NoPassword.stderr).toContain('PKCS#12');
  });
});
