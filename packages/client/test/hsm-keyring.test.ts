// Issue #15: a keyring whose signing and response-decryption keys live in an HSM (keytool
// `csr --pkcs11` records `privateKeyRef`), opened with the PKCS#11 provider as `externalKeys`:
// the typed client signs OAuth 1.0a and unwraps response JWEs inside a real SoftHSM2 token,
// against the real sandbox. The mTLS key stays in a file (Node's TLS takes a token key only
// through an OpenSSL engine; see @mcapi/pkcs11 tlsEngineKeyOptions).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKeyring } from '@mcapi/keys';
import { createKeyRequest, initKeyringDirectory } from '@mcapi/keytool';
import { type Pkcs11Provider, openPkcs11 } from '@mcapi/pkcs11';
import { type Sandbox, startSandbox } from '@mcapi/sandbox';
import { type SoftHsmToken, createSoftHsmToken, serviceAvailable } from '@mcapi/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCertificates, sandboxClientOptions } from '../demo/provision.js';
import { createClient } from '../src/index.js';
import { digits, quoteRequest, randomPan, today } from './helpers.js';

const haveSoftHsm = serviceAvailable({ command: 'softhsm2-util', versionArgs: ['--version'], aptPackage: 'softhsm2' });
const pinEnv = 'MCAPI_TEST_CLIENT_HSM_PIN';

describe.skipIf(!haveSoftHsm)('a keyring with HSM-held keys (SoftHSM2) drives the typed client', () => {
  let token: SoftHsmToken;
  let sandbox: Sandbox;
  let hsm: Pkcs11Provider;
  let temp: string;
  let dir: string;
  let references: { signing: string; response: string };

  beforeAll(async () => {
    token = await createSoftHsmToken('mcapi-client');
    process.env[pinEnv] = token.pin;
    sandbox = await startSandbox();
    temp = await mkdtemp(join(tmpdir(), 'mcapi-hsm-keyring-'));
    dir = join(temp, 'keyring');
    await initKeyringDirectory({ keyring: dir });
    const subject = { CN: 'mcapi hsm', O: 'mcapi' };
    const inToken = (keyLabel: string) => ({ module: token.module, tokenLabel: token.tokenLabel, pinEnv, keyLabel });
    const mtls = await createKeyRequest({ keyring: dir, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } });
    const signing = await createKeyRequest({ keyring: dir, purpose: 'signing', subject, pkcs11: inToken('oauth-2026') });
    const response = await createKeyRequest({ keyring: dir, purpose: 'response-decryption', subject, pkcs11: inToken('jwe-2026') });
    references = { signing: signing.privateKeyRef!, response: response.privateKeyRef! };
    await installCertificates(sandbox, dir, { mtls, signing, response });
    hsm = await openPkcs11({ module: token.module, tokenLabel: token.tokenLabel, pinEnv });
  });
  afterAll(async () => {
    await hsm?.close();
    await sandbox?.close();
    if (temp) await rm(temp, { recursive: true, force: true });
    delete process.env[pinEnv];
    await token?.remove();
  });

  it('signs OAuth 1.0a and decrypts response JWEs inside the token: Cross-Border and Benefit Allocation calls succeed', async () => {
    const keyring = await openKeyring(dir, { externalKeys: hsm });
    expect(keyring.active('signing', 'sandbox').privateKey).toMatchObject({ external: true, reference: references.signing });
    const [decryptionKey] = keyring.decryptionKeys('sandbox').values();
    expect(decryptionKey).toMatchObject({ external: true, reference: references.response });
    const client = createClient(sandboxClientOptions(sandbox, keyring));
    try {
      const reference = `09${digits(10)}ACFQ`;
      const quote = await client.crossBorder.quotes.create(quoteRequest(reference));
      expect(quote.transaction_reference).toBe(reference);
      const assigned = await client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] });
      expect(assigned.bundles?.map((bundle) => bundle.code)).toEqual(['PC4657', 'PC6323']);
    } finally {
      await client.close();
    }
  });

  it('without externalKeys the HSM entries load with their certificate only', async () => {
    const keyring = await openKeyring(dir);
    const signing = keyring.active('signing', 'sandbox');
    expect(signing.privateKey).toBeUndefined();
    expect(signing.certificate).toBeDefined();
    expect(keyring.decryptionKeys('sandbox').size).toBe(0);
  });

  it('a reference that now names a different key is refused; a reference to another token is a typed error', async () => {
    // A resolver that hands back the response key for every reference: the signing entry's
    // fingerprint no longer matches, and the keyring will not open with it.
    const swapped = { resolve: () => hsm.resolve(references.response) };
    await expect(openKeyring(dir, { externalKeys: swapped })).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
    await expect(hsm.resolve('pkcs11:token=another;object=oauth-2026;type=private')).rejects.toMatchObject({ code: 'ERR_PKCS11_KEY_NOT_FOUND' });
    await expect(hsm.resolve(references.signing.replace('object=oauth-2026', 'object=missing').replace(/id=[^;]*;/, ''))).rejects.toMatchObject({
      code: 'ERR_PKCS11_KEY_NOT_FOUND',
    });
  });
});
