import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePkcs12 } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtlsTransport, type MtlsCredentials } from '../src/index.js';
import { encryptedPemKey, pkcs12 } from './support/openssl.js';
import { createTestPki, type TestPki } from './support/pki.js';
import { startServer, type TestServer } from './support/tls-server.js';

let pki: TestPki;
let server: TestServer;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki();
  server = await startServer(pki);
  dir = mkdtempSync(join(tmpdir(), 'mcapi-mtls-forms-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function clientNameSeenBy(credentials: MtlsCredentials): Promise<string> {
  const transport = createMtlsTransport({ credentials, ca: pki.ca.cert });
  try {
    const response = await transport.request({ method: 'GET', url: `${server.url}/whoami` });
    expect(response.status).toBe(200);
    return (JSON.parse(Buffer.from(response.body).toString('utf8')) as { client: string }).client;
  } finally {
    await transport.close();
  }
}

describe('client certificate forms, over real mTLS', () => {
  it('PEM text', async () => {
    expect(await clientNameSeenBy({ cert: pki.client.cert, key: pki.client.key })).toBe('client one');
  });

  it('PEM files given as { path }', async () => {
    writeFileSync(join(dir, 'client.crt.pem'), pki.client.cert);
    writeFileSync(join(dir, 'client.key.pem'), pki.client.key, { mode: 0o600 });
    const name = await clientNameSeenBy({ cert: { path: join(dir, 'client.crt.pem') }, key: { path: join(dir, 'client.key.pem') } });
    expect(name).toBe('client one');
  });

  it('a key file readable by other users is reported through onWarning, a 0600 one is not', async () => {
    writeFileSync(join(dir, 'exposed.crt.pem'), pki.client.cert);
    writeFileSync(join(dir, 'exposed.key.pem'), pki.client.key);
    chmodSync(join(dir, 'exposed.key.pem'), 0o644);
    const warnings: string[] = [];
    const credentials = { cert: { path: join(dir, 'exposed.crt.pem') }, key: { path: join(dir, 'exposed.key.pem') } };
    await createMtlsTransport({ credentials, ca: pki.ca.cert, onWarning: (message) => warnings.push(message) }).close();
    expect(warnings).toEqual([expect.stringContaining('chmod 600')]);
    chmodSync(join(dir, 'exposed.key.pem'), 0o600);
    warnings.length = 0;
    await createMtlsTransport({ credentials, ca: pki.ca.cert, onWarning: (message) => warnings.push(message) }).close();
    expect(warnings).toEqual([]);
  });

  it('KeyObject and X509Certificate', async () => {
    expect(await clientNameSeenBy({ cert: pki.client.certificate, key: pki.client.privateKey })).toBe('client one');
  });

  it('an encrypted PKCS#8 PEM key with its passphrase', async () => {
    const encrypted = encryptedPemKey(pki.client.key, 'pem-secret');
    expect(encrypted).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(await clientNameSeenBy({ cert: pki.client.cert, key: encrypted, passphrase: 'pem-secret' })).toBe('client one');
  });

  it('an encrypted key with a wrong passphrase fails at construction with ERR_KEY_PASSPHRASE, echoing no passphrase', () => {
    const encrypted = encryptedPemKey(pki.client.key, 'pem-secret');
    expect(() => createMtlsTransport({ credentials: { cert: pki.client.cert, key: encrypted, passphrase: 'nope' }, ca: pki.ca.cert })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_PASSPHRASE' }),
    );
    const store = pkcs12({ cert: pki.client.cert, key: pki.client.key }, 'keystorepassword', { alias: 'keyalias', legacy: false });
    for (const credentials of [
      { cert: pki.client.cert, key: encrypted, passphrase: 'wrong-pem-guess' },
      { pkcs12: store, passphrase: 'wrong-p12-guess' },
    ]) {
      expect(() => createMtlsTransport({ credentials, ca: pki.ca.cert })).toThrow(
        expect.objectContaining({
          code: 'ERR_KEY_PASSPHRASE',
          message: expect.not.stringMatching(/wrong-(pem|p12)-guess|pem-secret|keystorepassword/),
        }),
      );
    }
  });

  it('a modern PKCS#12 (AES, SHA-256 MAC) from a file, with alias', async () => {
    const store = pkcs12({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert }, 'keystorepassword', { alias: 'keyalias', legacy: false });
    writeFileSync(join(dir, 'modern.p12'), store);
    const name = await clientNameSeenBy({ pkcs12: { path: join(dir, 'modern.p12') }, passphrase: 'keystorepassword', alias: 'keyalias' });
    expect(name).toBe('client one');
  });

  it('a PKCS#12 and a PEM pair from environment variables (base64 keystore, escaped-newline PEM), no files', async () => {
    const store = pkcs12({ cert: pki.client.cert, key: pki.client.key }, 'keystorepassword', { alias: 'keyalias', legacy: false });
    const names = ['MCAPI_T_MTLS_P12', 'MCAPI_T_MTLS_P12_PASS', 'MCAPI_T_MTLS_CERT', 'MCAPI_T_MTLS_KEY'];
    process.env.MCAPI_T_MTLS_P12 = Buffer.from(store).toString('base64');
    process.env.MCAPI_T_MTLS_P12_PASS = 'keystorepassword';
    process.env.MCAPI_T_MTLS_CERT = pki.client.cert.trim().replace(/\n/g, '\\n');
    process.env.MCAPI_T_MTLS_KEY = Buffer.from(pki.client.key).toString('base64');
    try {
      expect(await clientNameSeenBy({ pkcs12: { env: 'MCAPI_T_MTLS_P12' }, passphraseEnv: 'MCAPI_T_MTLS_P12_PASS', alias: 'keyalias' })).toBe('client one');
      expect(await clientNameSeenBy({ cert: { env: 'MCAPI_T_MTLS_CERT' }, key: { env: 'MCAPI_T_MTLS_KEY' } })).toBe('client one');
      expect(() => createMtlsTransport({ credentials: { pkcs12: { env: 'MCAPI_T_MTLS_UNSET' }, passphraseEnv: 'MCAPI_T_MTLS_P12_PASS' } })).toThrow(
        /MCAPI_T_MTLS_UNSET .*not set/,
      );
    } finally {
      for (const name of names) delete process.env[name];
    }
  });

  it('a legacy RC2-40 PKCS#12, which OpenSSL 3 refuses as a TLS pfx', async () => {
    const store = pkcs12({ cert: pki.client.cert, key: pki.client.key }, 'keystorepassword', { alias: 'keyalias', legacy: true });
    // Proof the fixture is the legacy kind: Node's own TLS loader cannot read it.
    const { createSecureContext } = await import('node:tls');
    expect(() => createSecureContext({ pfx: Buffer.from(store), passphrase: 'keystorepassword' })).toThrow(/Unsupported PKCS12 PFX data|unsupported/i);
    expect(parsePkcs12(store, { passphrase: 'keystorepassword' }).alias).toBe('keyalias');
    expect(await clientNameSeenBy({ pkcs12: store, passphrase: 'keystorepassword' })).toBe('client one');
  });

  it('a PKCS#12 with a wrong alias names the aliases present', () => {
    const store = pkcs12({ cert: pki.client.cert, key: pki.client.key }, 'keystorepassword', { alias: 'keyalias', legacy: false });
    expect(() => createMtlsTransport({ credentials: { pkcs12: store, passphrase: 'keystorepassword', alias: 'other' }, ca: pki.ca.cert })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_ALIAS', message: expect.stringContaining('"keyalias"') }),
    );
  });

  it('a certificate with its chain: the leaf is presented', async () => {
    const chain = [pki.client.certificate, new X509Certificate(pki.ca.cert)];
    expect(await clientNameSeenBy({ cert: chain, key: pki.client.privateKey })).toBe('client one');
  });
});
