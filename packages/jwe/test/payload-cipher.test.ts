import { isMcapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import type { KeyObject } from 'node:crypto';
import { createPayloadCipher, decrypt, encrypt, payloadPresets } from '../src/index.js';
import { certificate, otherPrivateKey, privateKeyPkcs8 } from './helpers.js';

const utf8 = new TextDecoder();
const keys = { encryptionKey: certificate, decryptionKeys: privateKeyPkcs8 };
const plaintextOf = async (token: unknown) => JSON.parse(utf8.decode((await decrypt(token as string, { keys: privateKeyPkcs8 })).plaintext));
const isJwe = (value: unknown) => typeof value === 'string' && value.split('.').length === 5;

describe('createPayloadCipher: endpoint rules', () => {
  const cipher = createPayloadCipher({
    ...keys,
    rules: [
      { method: 'POST', path: '/cards/{cardId}/freeze', ...payloadPresets.encryptedData },
      { method: ['put', 'PATCH'], path: /\/accounts\/\d+$/, request: [{ path: '$.secret' }] },
    ],
  });

  it('matches method and path template (with a base path, query and trailing slash)', async () => {
    for (const url of ['/cards/c-1/freeze', 'https://api.example.com/bas/v1/cards/c-1/freeze/?x=1']) {
      const result = await cipher.encryptRequest({ url, method: 'post', body: { reason: 'lost' } });
      expect(result.encrypted, url).toBe(true);
      expect(await plaintextOf((result.body as { encryptedData: string }).encryptedData)).toEqual({ reason: 'lost' });
    }
  });

  it('does not match another method, another path, or a template segment spanning slashes', async () => {
    for (const [method, url] of [
      ['GET', '/cards/c-1/freeze'],
      ['POST', '/cards/c-1/unfreeze'],
      ['POST', '/cards/a/b/freeze'],
      ['POST', '/cards/c-1/freeze/extra'],
    ] as const) {
      const body = { reason: 'lost' };
      const result = await cipher.encryptRequest({ url, method, body });
      expect(result, `${method} ${url}`).toEqual({ body, headers: {}, encrypted: false });
    }
  });

  it('matches regex rules and several methods', async () => {
    const result = await cipher.encryptRequest({ url: '/accounts/42', method: 'PATCH', body: { secret: 's', open: 'o' } });
    expect(result.body).toEqual({ secret: { encryptedData: expect.any(String) }, open: 'o' });
    expect(await plaintextOf((result.body as { secret: { encryptedData: string } }).secret.encryptedData)).toBe('s');
    expect((await cipher.encryptRequest({ url: '/accounts/x', method: 'PATCH', body: { secret: 's' } })).encrypted).toBe(false);
  });

  it('regex rules also see the whole URL without query, as Mastercard configs sometimes expect', async () => {
    const byHost = createPayloadCipher({ ...keys, rules: [{ path: /^https:\/\/api\.example\.com\/v1\/x$/, ...payloadPresets.encryptedData }] });
    expect((await byHost.encryptRequest({ url: 'https://api.example.com/v1/x?q=1', method: 'POST', body: {} })).encrypted).toBe(true);
    expect((await byHost.encryptRequest({ url: 'https://other.example.com/v1/x', method: 'POST', body: {} })).encrypted).toBe(false);
    expect((await byHost.encryptRequest({ url: '/v1/x', method: 'POST', body: {} })).encrypted).toBe(false);
  });

  it('rejects bad rules at construction, naming the option', () => {
    const attempts: [unknown, RegExp][] = [
      [{ rules: 'x' }, /options.rules/],
      [{ rules: [{ path: '' }] }, /options.rules\[0\].path/],
      [{ rules: [{ path: '/a', request: [{ path: '$..x' }] }] }, /JSON path/],
      [{ rules: [{ path: '/a', request: [{ path: '$.a', field: '' }] }] }, /options.rules\[0\].request\[0\].field/],
      [{ rules: [{ path: '/a', request: [{ path: '$.a', into: '$.b[*]' }] }] }, /more \[\*\]/],
      [{ rules: [], encryptionKey: 'pem' }, /options.encryptionKey/],
    ];
    for (const [options, message] of attempts) {
      let error: unknown;
      try {
        createPayloadCipher(options as never);
      } catch (e) {
        error = e;
      }
      expect(isMcapiError(error), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('createPayloadCipher: JSON paths', () => {
  it('whole body, including root arrays and primitives, round trip', async () => {
    const cipher = createPayloadCipher({ ...keys, rules: [{ path: '/x', ...payloadPresets.encryptedData }] });
    for (const body of [{ a: 1 }, [1, { b: 2 }], 'text', 42, true, null]) {
      const sent = await cipher.encryptRequest({ url: '/x', method: 'POST', body });
      expect(Object.keys(sent.body as object)).toEqual(['encryptedData']);
      expect((await cipher.decryptResponse({ url: '/x', method: 'POST', body: sent.body })).body).toEqual(body);
    }
  });

  it('wildcards over arrays, in place and into a sibling field, with separate request/response names', async () => {
    const cipher = createPayloadCipher({
      ...keys,
      rules: [
        {
          path: '/orders',
          request: [{ path: '$.items[*].card', into: '$.items[*].encryptedCard', field: 'jwe' }],
          response: [{ path: '$.items[*].protectedCard', into: '$.items[*].card', field: 'payload' }],
        },
      ],
    });
    const body = { items: [{ card: { pan: '1' }, qty: 1 }, { qty: 2 }, { card: { pan: '3' } }] };
    const sent = await cipher.encryptRequest({ url: '/orders', method: 'POST', body });
    expect(body.items[0]!.card).toEqual({ pan: '1' }); // input untouched
    const items = (sent.body as { items: Record<string, { jwe?: string }>[] }).items;
    expect(items[0]).toEqual({ encryptedCard: { jwe: expect.any(String) }, qty: 1 });
    expect(items[1]).toEqual({ qty: 2 });
    expect(await plaintextOf(items[2]!.encryptedCard!.jwe)).toEqual({ pan: '3' });

    // The server answers with a different field name: the response mapping handles it.
    const response = { items: [{ protectedCard: { payload: items[0]!.encryptedCard!.jwe }, qty: 1 }, { qty: 2 }] };
    const received = await cipher.decryptResponse({ url: '/orders', method: 'POST', body: response });
    expect(received).toEqual({ body: { items: [{ card: { pan: '1' }, qty: 1 }, { qty: 2 }] }, decrypted: true });
  });

  it('absent paths are skipped, not errors; unencrypted responses pass through', async () => {
    const cipher = createPayloadCipher({
      ...keys,
      rules: [{ path: '/p', request: [{ path: '$.a.b' }, { path: '$.c' }], response: [{ path: '$.r' }] }],
    });
    const sent = await cipher.encryptRequest({ url: '/p', method: 'POST', body: { c: 1 } });
    expect(sent.encrypted).toBe(true);
    expect(Object.keys(sent.body as object)).toEqual(['c']);
    expect(await cipher.encryptRequest({ url: '/p', method: 'GET', body: undefined })).toEqual({ body: undefined, headers: {}, encrypted: false });
    const error = { Errors: { Error: [{ ReasonCode: 'DECLINED' }] } };
    expect(await cipher.decryptResponse({ url: '/p', method: 'POST', body: error })).toEqual({ body: error, decrypted: false });
    expect(await cipher.decryptResponse({ url: '/p', method: 'POST', body: { r: { encryptedData: 5 } } })).toEqual({
      body: { r: { encryptedData: 5 } },
      decrypted: false,
    });
  });

  it('a nested sub-object into a container next to it, merged back on the way in', async () => {
    const cipher = createPayloadCipher({
      ...keys,
      rules: [
        {
          path: '/cards',
          request: [{ path: '$.card.sensitive', into: '$.card.encryptedSensitive' }],
          response: [{ path: '$.card.encryptedSensitive', into: '$.card' }],
        },
      ],
    });
    const sent = await cipher.encryptRequest({ url: '/cards', method: 'POST', body: { card: { id: 'c1', sensitive: { pan: '5123' } } } });
    expect(sent.body).toEqual({ card: { id: 'c1', encryptedSensitive: { encryptedData: expect.any(String) } } });
    const received = await cipher.decryptResponse({ url: '/cards', method: 'POST', body: sent.body });
    expect(received.body).toEqual({ card: { id: 'c1', pan: '5123' } });
  });

  it('a tampered response is a typed decryption error', async () => {
    const cipher = createPayloadCipher({ ...keys, rules: [{ path: '/x', ...payloadPresets.encryptedData }] });
    const sent = await cipher.encryptRequest({ url: '/x', method: 'POST', body: { a: 1 } });
    const token = (sent.body as { encryptedData: string }).encryptedData;
    const parts = token.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    const error = await cipher.decryptResponse({ url: '/x', method: 'POST', body: { encryptedData: parts.join('.') } }).catch((e: unknown) => e);
    expect(isMcapiError(error, 'ERR_JWE_DECRYPTION_FAILED')).toBe(true);
  });

  it('needs the key for the direction it is used in', async () => {
    const cipher = createPayloadCipher({ decryptionKeys: privateKeyPkcs8, rules: [{ path: '/x', ...payloadPresets.encryptedData }] });
    const error = await cipher.encryptRequest({ url: '/x', method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(isMcapiError(error, 'ERR_INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain('encryptionKey');
  });
});

describe('presets', () => {
  it('Cross-Border: {"encrypted_payload":{"data":…}} with x-encrypted: true, both ways', async () => {
    const cipher = createPayloadCipher({ ...keys, rules: [{ method: 'POST', path: '/crossborder/{partnerId}/payment', ...payloadPresets.crossBorder }] });
    const body = { amount: '10.00', currency: 'EUR', recipient: { name: 'A' } };
    const sent = await cipher.encryptRequest({ url: '/send/crossborder/p1/payment', method: 'POST', body });
    expect(sent.headers).toEqual({ 'x-encrypted': 'true' });
    expect(sent.body).toEqual({ encrypted_payload: { data: expect.any(String) } });
    expect(isJwe((sent.body as { encrypted_payload: { data: string } }).encrypted_payload.data)).toBe(true);
    expect(await plaintextOf((sent.body as { encrypted_payload: { data: string } }).encrypted_payload.data)).toEqual(body);
    const received = await cipher.decryptResponse({ url: '/send/crossborder/p1/payment', method: 'POST', body: sent.body });
    expect(received).toEqual({ body, decrypted: true });
  });

  it('presets are frozen', () => {
    expect(Object.isFrozen(payloadPresets.crossBorder.requestHeaders)).toBe(true);
    expect(Object.isFrozen(payloadPresets.encryptedData.request[0])).toBe(true);
  });
});

describe('decryption keys as a function', () => {
  it('is called per response, so a key added later (rotation) is used without rebuilding the cipher', async () => {
    let current: Map<string, KeyObject> = new Map([['old', privateKeyPkcs8]]);
    const cipher = createPayloadCipher({
      encryptionKey: certificate,
      decryptionKeys: () => current,
      rules: [{ path: '/x', ...payloadPresets.encryptedData }],
    });
    const body = { encryptedData: await encrypt('{"v":2}', { key: otherPrivateKey(), kid: 'new' }) };
    const before = await cipher.decryptResponse({ url: '/x', method: 'GET', body }).catch((e: unknown) => e);
    expect(isMcapiError(before, 'ERR_JWE_UNKNOWN_KID')).toBe(true);
    current = new Map([...current, ['new', otherPrivateKey()]]);
    expect((await cipher.decryptResponse({ url: '/x', method: 'GET', body })).body).toEqual({ v: 2 });
  });
});
