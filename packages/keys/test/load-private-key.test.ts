import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadCertificate, loadPkcs12, loadPrivateKey, publicKeyFingerprint } from '../src/index.js';
import { openssl, temporaryDirectory, vector } from './helpers.js';

const jweKid = '761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79';
const oauthKid = 'b5145543a3caa95916304b289c562c195b149047b9e1b430e91178b1021c484d';
const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);

describe('Mastercard vectors', () => {
  it('loads the legacy RC2-40 PKCS#12 test keystore by alias', async () => {
    const key = await loadPrivateKey({ path: vector('test_key_container.p12') }, { passphrase: 'Password1', alias: 'mykeyalias' });
    expect(key.type).toBe('private');
    expect(publicKeyFingerprint(key)).toBe(oauthKid);
    const p12 = await loadPkcs12({ path: vector('test_key_container.p12') }, { passphrase: 'Password1' });
    expect(p12.alias).toBe('mykeyalias');
    expect(p12.certificate.checkPrivateKey(p12.privateKey)).toBe(true);
    expect(publicKeyFingerprint(p12.certificate)).toBe(oauthKid);
  });

  it.each(['test_key.pkcs1.pem', 'test_key.pkcs8.pem'])('%s gives the JWE kid', async (file) => {
    expect(publicKeyFingerprint(await loadPrivateKey({ path: vector(file) }, { onWarning: () => {} }))).toBe(jweKid);
  });

  it.each(['test_certificate.pem', 'test_certificate.der'])('%s gives the JWE kid', async (file) => {
    expect(publicKeyFingerprint(await loadCertificate({ path: vector(file) }))).toBe(jweKid);
  });

  it('rejects unreadable key material with ERR_KEY_FORMAT naming the formats tried', async () => {
    await expect(loadPrivateKey({ path: vector('invalid_key.der') })).rejects.toMatchObject({
      code: 'ERR_KEY_FORMAT',
      message: expect.stringContaining('PKCS#12'),
    });
  });

  it('wrong and missing PKCS#12 passwords fail with ERR_KEY_PASSPHRASE', async () => {
    await expect(loadPrivateKey({ path: vector('test_key_container.p12') }, { passphrase: 'nope' })).rejects.toMatchObject({
      code: 'ERR_KEY_PASSPHRASE',
    });
    await expect(loadPrivateKey({ path: vector('test_key_container.p12') })).rejects.toMatchObject({
      code: 'ERR_KEY_PASSPHRASE',
    });
  });

  it('an unknown alias lists the aliases present', async () => {
    await expect(
      loadPkcs12({ path: vector('test_key_container.p12') }, { passphrase: 'Password1', alias: 'keyalias' }),
    ).rejects.toMatchObject({ code: 'ERR_KEY_ALIAS', message: expect.stringContaining('"mykeyalias"') });
  });
});

describe('files made by openssl', () => {
  const keyPath = join(dir, 'rsa.pem');
  const certPath = join(dir, 'cert.pem');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]);
  openssl(['req', '-new', '-x509', '-key', keyPath, '-subj', '/CN=test', '-days', '2', '-out', certPath]);
  const expected = publicKeyFingerprint(
    // the certificate is the independent source of truth for the fingerprint
    new X509Certificate(readFileSync(certPath)),
  );
  const env = { MCAPI_TEST_PASS: 'correct horse' };

  it('encrypted PKCS#8 PEM and DER', async () => {
    const pem = join(dir, 'enc.pem');
    const der = join(dir, 'enc.der');
    openssl(['pkcs8', '-topk8', '-in', keyPath, '-v2', 'aes-256-cbc', '-passout', 'env:MCAPI_TEST_PASS', '-out', pem], env);
    openssl(['pkcs8', '-topk8', '-in', keyPath, '-v2', 'aes-256-cbc', '-passout', 'env:MCAPI_TEST_PASS', '-outform', 'DER', '-out', der], env);
    for (const path of [pem, der]) {
      chmodSync(path, 0o600);
      expect(publicKeyFingerprint(await loadPrivateKey({ path }, { passphrase: 'correct horse' }))).toBe(expected);
    }
    await expect(loadPrivateKey({ path: pem }, { passphrase: 'wrong' })).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE' });
    await expect(loadPrivateKey({ path: pem })).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE' });
  });

  it('DER PKCS#1 and PKCS#8', async () => {
    const pkcs1 = join(dir, 'k1.der');
    const pkcs8 = join(dir, 'k8.der');
    openssl(['rsa', '-in', keyPath, '-traditional', '-outform', 'DER', '-out', pkcs1]);
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', keyPath, '-outform', 'DER', '-out', pkcs8]);
    for (const path of [pkcs1, pkcs8]) {
      chmodSync(path, 0o600);
      expect(publicKeyFingerprint(await loadPrivateKey(readFileSync(path)))).toBe(expected);
    }
  });

  it.each([
    ['modern (PBES2/AES-256, SHA-256 MAC)', []],
    ['legacy (RC2-40/3DES, SHA-1 MAC)', ['-legacy']],
  ])('PKCS#12 %s', async (_label, extra) => {
    const p12 = join(dir, `store${extra.length}.p12`);
    openssl(
      ['pkcs12', '-export', ...extra, '-inkey', keyPath, '-in', certPath, '-name', 'keyalias', '-passout', 'env:MCAPI_TEST_PASS', '-out', p12],
      env,
    );
    const loaded = await loadPkcs12({ path: p12 }, { passphrase: 'correct horse', alias: 'keyalias' });
    expect(publicKeyFingerprint(loaded.privateKey)).toBe(expected);
    expect(loaded.alias).toBe('keyalias');
    await expect(loadPkcs12({ path: p12 }, { passphrase: 'nope' })).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE' });
  });

  it('an EC key in PEM and in PKCS#12', async () => {
    const ecKey = join(dir, 'ec.pem');
    const ecCert = join(dir, 'ec.crt');
    const ecP12 = join(dir, 'ec.p12');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ecKey]);
    openssl(['req', '-new', '-x509', '-key', ecKey, '-subj', '/CN=ec', '-days', '2', '-out', ecCert]);
    openssl(['pkcs12', '-export', '-inkey', ecKey, '-in', ecCert, '-passout', 'env:MCAPI_TEST_PASS', '-out', ecP12], env);
    const fromPem = await loadPrivateKey(readFileSync(ecKey, 'utf8'));
    const fromP12 = await loadPrivateKey({ path: ecP12 }, { passphrase: 'correct horse', onWarning: () => {} });
    expect(fromPem.asymmetricKeyType).toBe('ec');
    expect(publicKeyFingerprint(fromP12)).toBe(publicKeyFingerprint(fromPem));
  });

  it('warns when a key file is readable by others', async () => {
    const exposed = join(dir, 'exposed.pem');
    writeFileSync(exposed, readFileSync(keyPath), { mode: 0o644 });
    chmodSync(exposed, 0o644);
    const onWarning = vi.fn();
    await loadPrivateKey({ path: exposed }, { onWarning });
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('chmod 600'));
    chmodSync(exposed, 0o600);
    onWarning.mockClear();
    await loadPrivateKey({ path: exposed }, { onWarning });
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('rejects empty data, a certificate given as a key, and a non-PEM string', async () => {
    await expect(loadPrivateKey(new Uint8Array())).rejects.toMatchObject({ code: 'ERR_KEY_FORMAT' });
    await expect(loadPrivateKey(readFileSync(certPath, 'utf8'))).rejects.toMatchObject({
      code: 'ERR_KEY_FORMAT',
      message: expect.stringContaining('CERTIFICATE'),
    });
    await expect(loadPrivateKey('./key.pem')).rejects.toMatchObject({ code: 'ERR_KEY_FORMAT' });
  });
});

describe('synchronous reading', () => {
  it('readSourceSync reads files, PEM and bytes, and refuses other strings', async () => {
    const { readSourceSync, warnIfKeyFileExposedSync } = await import('../src/index.js');
    const path = vector('test_key.pkcs8.pem');
    expect(readSourceSync({ path }, 'key').path).toBe(path);
    expect(readSourceSync(new Uint8Array([1]), 'key').bytes).toEqual(new Uint8Array([1]));
    expect(() => readSourceSync('./key.pem', 'credentials.key')).toThrow(expect.objectContaining({ code: 'ERR_KEY_FORMAT', message: expect.stringContaining('credentials.key') }));
    expect(() => readSourceSync({ path: join(dir, 'missing.pem') }, 'key')).toThrow(expect.objectContaining({ code: 'ERR_KEY_FORMAT' }));
    const exposed = join(dir, 'sync-exposed.pem');
    writeFileSync(exposed, 'x', { mode: 0o644 });
    chmodSync(exposed, 0o644);
    const onWarning = vi.fn();
    warnIfKeyFileExposedSync(exposed, onWarning);
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('chmod 600'));
  });
});
