import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parsePkcs12 } from '@mcapi/keys';
import { describe, expect, it } from 'vitest';
import { type MastercardEncryptionConfig, createPayloadCipher, decrypt, encrypt, fromMastercardConfig, payloadPresets } from '../src/index.js';
import { certificate, privateKeyPkcs8, testCertificatePath, testKeyPath } from './helpers.js';

// mastercard-client-encryption is CommonJS; it is the peer these tests interoperate with.
const require = createRequire(import.meta.url);
const { JweEncryption, FieldLevelEncryption } = require('mastercard-client-encryption') as {
  JweEncryption: new (config: unknown) => MastercardEncryptor;
  FieldLevelEncryption: new (config: unknown) => MastercardEncryptor;
};
interface MastercardEncryptor {
  encrypt(endpoint: string, header: Record<string, string>, body: unknown): { header: Record<string, string>; body: unknown };
  decrypt(response: { request: { url: string }; body: unknown; header?: Record<string, string> }): unknown;
}

const copy = <T>(value: T): T => structuredClone(value);
type Nested = { path: { to: Record<string, Record<string, unknown> | undefined> } };
const utf8 = new TextDecoder();

const wholeBodyConfig: MastercardEncryptionConfig = {
  mode: 'JWE',
  paths: [{ path: '/resource', toEncrypt: [{ element: '$', obj: '$' }], toDecrypt: [{ element: '$', obj: '$' }] }],
  encryptedValueFieldName: 'encryptedData',
  encryptionCertificate: testCertificatePath,
  privateKey: testKeyPath,
};
const nestedConfig: MastercardEncryptionConfig = {
  mode: 'JWE',
  paths: [
    {
      path: '/nested',
      toEncrypt: [{ element: 'path.to.foo', obj: 'path.to.encryptedFoo' }],
      toDecrypt: [{ element: 'path.to.encryptedFoo', obj: 'path.to.foo' }],
    },
  ],
  encryptedValueFieldName: 'encryptedData',
  encryptionCertificate: testCertificatePath,
  privateKey: testKeyPath,
};
const payload = { account: { pan: '5123456789012345', holder: 'Zoë / Ω' }, amounts: [1, 2.5, -3], flag: true };
const nestedPayload = { path: { to: { foo: { sensitive: 'this is a secret!', sensitive2: 'this is a super secret!' } } }, keep: 1 };

describe('JWE interop with mastercard-client-encryption@1.10.8', () => {
  const theirs = new JweEncryption(wholeBodyConfig);
  const ours = createPayloadCipher({
    encryptionKey: certificate,
    decryptionKeys: privateKeyPkcs8,
    rules: [{ path: '/resource', ...payloadPresets.encryptedData }],
  });

  it('decrypts their whole-body tokens (16-byte IV, "/" in parts)', async () => {
    let sawSlash = false;
    for (let i = 0; i < 20; i++) {
      const { body } = theirs.encrypt('/resource', {}, copy(payload)) as { body: { encryptedData: string } };
      const token = body.encryptedData;
      expect(Buffer.from(token.split('.')[2]!.replace(/\//g, '_'), 'base64url')).toHaveLength(16);
      sawSlash ||= token.includes('/');
      const result = await ours.decryptResponse({ url: 'https://api.example.com/resource', method: 'POST', body });
      expect(result).toEqual({ body: payload, decrypted: true });
    }
    expect(sawSlash).toBe(true);
  });

  it('produces whole-body tokens they decrypt', async () => {
    const input = copy(payload);
    const { body, encrypted } = await ours.encryptRequest({ url: '/resource', method: 'POST', body: input });
    expect(encrypted).toBe(true);
    expect(input).toEqual(payload); // not mutated
    expect(Object.keys(body as object)).toEqual(['encryptedData']);
    expect(theirs.decrypt({ request: { url: '/resource' }, body: copy(body) })).toEqual(payload);
  });

  it('decrypts their tokens with plain decrypt() too, and they decrypt ours in every enc we emit for GCM', async () => {
    const { body } = theirs.encrypt('/resource', {}, copy(payload)) as { body: { encryptedData: string } };
    expect(JSON.parse(utf8.decode((await decrypt(body.encryptedData, { keys: privateKeyPkcs8 })).plaintext))).toEqual(payload);
    for (const enc of ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256'] as const) {
      const token = await encrypt(JSON.stringify(payload), { key: certificate, enc });
      expect(theirs.decrypt({ request: { url: '/resource' }, body: { encryptedData: token } })).toEqual(payload);
    }
  });

  it('nested paths both ways through fromMastercardConfig (same config object)', async () => {
    const theirsNested = new JweEncryption(nestedConfig);
    const oursNested = await fromMastercardConfig(nestedConfig);

    const theirBody = theirsNested.encrypt('/nested', {}, copy(nestedPayload)).body as Nested;
    expect(theirBody.path.to.encryptedFoo?.encryptedData).toEqual(expect.any(String));
    expect(theirBody.path.to.foo).toBeUndefined();
    const decrypted = await oursNested.decryptResponse({ url: '/api/nested?x=1', method: 'GET', body: theirBody });
    expect(decrypted.body).toEqual(nestedPayload);

    const { body: ourBody } = await oursNested.encryptRequest({ url: '/nested', method: 'POST', body: copy(nestedPayload) });
    expect(ourBody).toEqual({ path: { to: { encryptedFoo: { encryptedData: expect.any(String) } } }, keep: 1 });
    expect(theirsNested.decrypt({ request: { url: '/nested' }, body: copy(ourBody) })).toEqual(nestedPayload);
  });

  it('whole body through fromMastercardConfig, with a certificate kid', async () => {
    const config = { ...wholeBodyConfig, publicKeyFingerprintType: 'certificate' as const, dataEncoding: 'base64' as const };
    const oursFromConfig = await fromMastercardConfig(config);
    const { body } = await oursFromConfig.encryptRequest({ url: '/resource', method: 'POST', body: copy(payload) });
    const header = JSON.parse(Buffer.from((body as { encryptedData: string }).encryptedData.split('.')[0]!, 'base64url').toString());
    expect(header.kid).toBe('gIEPwTqDGfzw4uwyLIKkwwS3gsw85nEXY0PP6BYMInk=');
    expect(new JweEncryption(config).decrypt({ request: { url: '/resource' }, body: copy(body) })).toEqual(payload);
  });
});

describe('legacy field-level encryption interop with mastercard-client-encryption@1.10.8', () => {
  for (const encoding of ['hex', 'base64'] as const) {
    for (const oaep of ['SHA-256', 'SHA-512'] as const) {
      const config: MastercardEncryptionConfig = {
        paths: [
          {
            path: '/fle',
            toEncrypt: [{ element: 'path.to.foo', obj: 'path.to.encryptedFoo' }],
            toDecrypt: [{ element: 'path.to.encryptedFoo', obj: 'path.to.foo' }],
          },
        ],
        ivFieldName: 'iv',
        encryptedKeyFieldName: 'encryptedKey',
        encryptedValueFieldName: 'encryptedValue',
        dataEncoding: encoding,
        encryptionCertificate: testCertificatePath,
        privateKey: testKeyPath,
        oaepPaddingDigestAlgorithm: oaep,
        oaepHashingAlgorithmFieldName: 'oaepHashingAlgorithm',
        publicKeyFingerprintFieldName: 'publicKeyFingerprint',
        publicKeyFingerprintType: 'publicKey',
      };
      it(`${encoding} / ${oaep} both ways`, async () => {
        const theirs = new FieldLevelEncryption(config);
        const ours = await fromMastercardConfig(config);
        const theirBody = theirs.encrypt('/fle', {}, copy(nestedPayload)).body;
        expect((await ours.decryptResponse({ url: '/fle', method: 'POST', body: theirBody })).body).toEqual(nestedPayload);
        const { body: ourBody } = await ours.encryptRequest({ url: '/fle', method: 'POST', body: copy(nestedPayload) });
        expect((ourBody as Nested).path.to.encryptedFoo).toEqual({
          encryptedValue: expect.any(String),
          iv: expect.any(String),
          encryptedKey: expect.any(String),
          publicKeyFingerprint: '761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79',
          oaepHashingAlgorithm: oaep.replace('-', ''),
        });
        expect(theirs.decrypt({ request: { url: '/fle' }, body: copy(ourBody) })).toEqual(nestedPayload);
      });
    }
  }

  it('parameters carried in HTTP headers, whole body', async () => {
    const config: MastercardEncryptionConfig = {
      paths: [{ path: '/hdr', toEncrypt: [{ element: '$', obj: '$' }], toDecrypt: [{ element: '$', obj: '$' }] }],
      ivHeaderName: 'x-iv',
      encryptedKeyHeaderName: 'x-encrypted-key',
      oaepHashingAlgorithmHeaderName: 'x-oaep-padding-digest-algorithm',
      publicKeyFingerprintHeaderName: 'x-encryption-key-fingerprint',
      encryptedValueFieldName: 'encryptedValue',
      dataEncoding: 'hex',
      encryptionCertificate: testCertificatePath,
      privateKey: testKeyPath,
      oaepPaddingDigestAlgorithm: 'SHA-256',
      publicKeyFingerprintType: 'publicKey',
    };
    const theirs = new FieldLevelEncryption(config);
    const ours = await fromMastercardConfig(config);
    const header: Record<string, string> = {};
    const theirBody = theirs.encrypt('/hdr', header, copy(payload)).body;
    const decrypted = await ours.decryptResponse({ url: '/hdr', method: 'POST', body: theirBody, headers: { 'X-IV': header['x-iv']!, ...header } });
    expect(decrypted.body).toEqual(payload);

    // Their field-level decryptor returns forge's binary string without UTF-8 decoding, so only
    // ASCII survives it; our side handles UTF-8 (checked above).
    const ascii = { ...payload, account: { ...payload.account, holder: 'Zoe' } };
    const sent = await ours.encryptRequest({ url: '/hdr', method: 'POST', body: copy(ascii) });
    expect(Object.keys(sent.headers).sort()).toEqual(['x-encrypted-key', 'x-encryption-key-fingerprint', 'x-iv', 'x-oaep-padding-digest-algorithm']);
    expect(Object.keys(sent.body as object)).toEqual(['encryptedValue']);
    expect(theirs.decrypt({ request: { url: '/hdr' }, body: copy(sent.body), header: sent.headers })).toEqual(ascii);
  });
});

describe('fromMastercardConfig with a PKCS#12 keyStore', () => {
  it('reads keyStore, keyStoreAlias and keyStorePassword (legacy RC2 PKCS#12)', async () => {
    const keyStore = new URL('./vectors/test_key_container.p12', import.meta.url).pathname;
    const { privateKey } = parsePkcs12(readFileSync(keyStore), { passphrase: 'Password1', alias: 'mykeyalias' });
    const { privateKey: _pemKey, ...withoutPemKey } = wholeBodyConfig;
    const cipher = await fromMastercardConfig({ ...withoutPemKey, keyStore, keyStoreAlias: 'mykeyalias', keyStorePassword: 'Password1' });
    const token = await encrypt(JSON.stringify(payload), { key: privateKey });
    expect((await cipher.decryptResponse({ url: '/resource', method: 'GET', body: { encryptedData: token } })).body).toEqual(payload);
  });
});
