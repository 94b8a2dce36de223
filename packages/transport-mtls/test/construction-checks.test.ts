import { X509Certificate } from 'node:crypto';
import type { LoadedKey } from '@mcapi/keys';
import { Agent } from 'undici';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createMtlsTransport } from '../src/index.js';
import { createTestPki, type Identity, issue, issueExpired, type TestPki } from './support/pki.js';

const dayMs = 86_400_000;
let pki: TestPki;
let expired: Identity;
let notYetValid: Identity;
let expiringSoon: Identity;

beforeAll(async () => {
  pki = await createTestPki();
  [expired, notYetValid, expiringSoon] = await Promise.all([
    issueExpired(pki.ca),
    issue(pki.ca, { cn: 'future client', usage: 'client', notBefore: new Date(Date.now() + 2 * dayMs), notAfter: new Date(Date.now() + 400 * dayMs) }),
    issue(pki.ca, { cn: 'expiring client', usage: 'client', validityDays: 10 }),
  ]);
});

describe('credentials are checked when the transport is created', () => {
  it('an expired client certificate → ERR_CERTIFICATE_EXPIRED', () => {
    expect(() => createMtlsTransport({ credentials: { cert: expired.cert, key: expired.key } })).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_EXPIRED', message: expect.stringContaining('expired client') }),
    );
  });

  it('a certificate not valid yet → ERR_CERTIFICATE_NOT_YET_VALID', () => {
    expect(() => createMtlsTransport({ credentials: { cert: notYetValid.cert, key: notYetValid.key } })).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_NOT_YET_VALID' }),
    );
  });

  it('a key that is not the certificate’s → ERR_KEY_MISMATCH, without key material in the message', () => {
    let message = '';
    expect(() => {
      try {
        createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.nextClient.key } });
      } catch (error) {
        message = (error as Error).message;
        throw error;
      }
    }).toThrow(expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }));
    expect(message).not.toContain('PRIVATE KEY');
    expect(message).not.toContain(pki.nextClient.key.split('\n')[1]);
  });

  it('a certificate expiring within expiryWarningDays (default 30) warns through onWarning', async () => {
    const onWarning = vi.fn();
    const transport = createMtlsTransport({ credentials: { cert: expiringSoon.cert, key: expiringSoon.key }, onWarning });
    await transport.close();
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toMatch(/expiring client.*expires on .* \(\d days left\)/);
  });

  it('expiryWarningDays is configurable, and a healthy certificate does not warn', async () => {
    const onWarning = vi.fn();
    await createMtlsTransport({ credentials: { cert: expiringSoon.cert, key: expiringSoon.key }, onWarning, expiryWarningDays: 5 }).close();
    await createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, onWarning }).close();
    expect(onWarning).not.toHaveBeenCalled();
    await createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, onWarning, expiryWarningDays: 400 }).close();
    expect(onWarning).toHaveBeenCalledTimes(1);
  });

  it('reload() checks too, and keeps the old credentials when the new ones are bad', async () => {
    const transport = createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key } });
    const before = transport.dispatcher;
    await expect(transport.reload({ cert: expired.cert, key: expired.key })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_EXPIRED' });
    expect(transport.dispatcher).toBe(before);
    await transport.close();
  });
});

describe('options are validated with messages naming the option', () => {
  const credentials = () => ({ cert: pki.client.cert, key: pki.client.key });

  it.each([
    ['connections', 0],
    ['connectTimeout', -1],
    ['headersTimeout', 1.5],
    ['maxResponseSize', Number.NaN],
    ['expiryWarningDays', -3],
  ])('%s = %s is refused', (name, value) => {
    expect(() => createMtlsTransport({ credentials: credentials(), [name]: value })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining(name) }),
    );
  });

  it('a keyring entry whose key is held in an HSM is refused with the way to use it (tlsEngineKeyOptions)', () => {
    const certificate = new X509Certificate(pki.client.cert);
    const hsmKey = { external: true, publicKey: certificate.publicKey, reference: 'pkcs11:token=hsm1;object=mtls-2026;type=private', sign: async () => new Uint8Array() };
    const entry = { id: 'mtls-sandbox-1', purpose: 'mtls', environment: 'sandbox', status: 'active', publicKeyFingerprint: 'x', privateKeyRef: hsmKey.reference };
    const credentials = { entry, privateKey: hsmKey, publicKey: certificate.publicKey, certificate, chain: [] } as unknown as LoadedKey;
    expect(() => createMtlsTransport({ credentials })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('tlsEngineKeyOptions') }),
    );
  });

  it('an unknown option is named', () => {
    expect(() => createMtlsTransport({ credentials: credentials(), conections: 2 } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('Unknown option conections') }),
    );
  });

  it('a caller-supplied dispatcher excludes credentials and pool options', async () => {
    const agent = new Agent();
    expect(() => createMtlsTransport({ dispatcher: agent, credentials: credentials(), connections: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('credentials, connections') }),
    );
    await agent.close();
  });

  it('ca that is not a certificate fails at construction', () => {
    expect(() => createMtlsTransport({ credentials: credentials(), ca: pki.client.key })).toThrow(expect.objectContaining({ code: 'ERR_KEY_FORMAT' }));
    // A path given as a bare string is refused (never guessed at), the same way @mcapi/keys does.
    expect(() => createMtlsTransport({ credentials: credentials(), ca: './ca.pem' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_FORMAT', message: expect.stringContaining('{ path') }),
    );
  });
});
