// Issue #12 item 1: createMastercardFetch and the typed client never change a number, and a
// body no rule touches goes through byte for byte. undici's MockAgent sees the exact bytes sent.
import { generateKeyPairSync } from 'node:crypto';
import { decrypt, encrypt } from '@mcapi/jwe';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMastercardFetch, normalizeResponse, parseJsonLossless } from '../src/index.js';

const serverKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ourKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const utf8 = new TextDecoder();
const base = 'https://api.test';

let dispatcher: MockAgent;
let received: Buffer = Buffer.alloc(0);
let reply: () => Promise<Buffer> = async () => Buffer.alloc(0);

beforeEach(() => {
  dispatcher = new MockAgent();
  dispatcher.disableNetConnect();
  dispatcher
    .get(base)
    .intercept({ path: /.*/, method: /.*/ })
    .reply(
      200,
      async (request) => {
        const body = request.body as string | Uint8Array | undefined;
        received = body === undefined ? Buffer.alloc(0) : Buffer.from(body as Uint8Array);
        return reply();
      },
      { headers: { 'content-type': 'application/json' } },
    )
    .persist();
});
afterEach(async () => {
  await dispatcher.close();
});

const fetch = () =>
  createMastercardFetch({
    dispatcher,
    encryption: { encryptionKey: serverKeys.publicKey, decryptionKeys: ourKeys.privateKey },
    encryptionRules: [{ path: /\/secure$/, request: [{ path: '$.secret' }], response: [{ path: '$.secret' }] }],
  });

describe('regression: createMastercardFetch keeps numbers exact', () => {
  it('request: the members around an encrypted path reach the server as written, the plaintext too', async () => {
    reply = async () => Buffer.from('{}');
    const client = fetch();
    await client(`${base}/secure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"cardNumber":5291070000000000123,"amount":105.10,"secret":{"pan":5291070000000000123,"rate":1.0}}',
    });
    await client.close();
    const sent = received.toString('utf8');
    expect(sent).toMatch(/^\{"cardNumber":5291070000000000123,"amount":105\.10,"secret":\{"encryptedData":"[^"]+"\}\}$/);
    const token = /"encryptedData":"([^"]+)"/.exec(sent)![1]!;
    expect(utf8.decode((await decrypt(token, { keys: serverKeys.privateKey })).plaintext)).toBe('{"pan":5291070000000000123,"rate":1.0}');
  });

  it('response: the decrypted value and the rest of the body reach the app as written', async () => {
    const token = await encrypt('{"pan":5291070000000000123,"rate":1.0}', { key: ourKeys.publicKey });
    reply = async () => Buffer.from(`{"id":9007199254740993,"fee":0.50,"secret":{"encryptedData":"${token}"}}`);
    const client = fetch();
    const response = await client(`${base}/secure`);
    await client.close();
    expect(await response.text()).toBe('{"id":9007199254740993,"fee":0.50,"secret":{"pan":5291070000000000123,"rate":1.0}}');
  });

  it('a body no rule touches passes byte for byte, both ways (BOM, spacing, exponents kept)', async () => {
    const odd = Buffer.from('\uFEFF{ "pan" : 5291070000000000123 ,\n "amount":1.10E+2, "s":"\\u00e9" }', 'utf8');
    reply = async () => odd;
    const client = fetch();
    for (const url of [`${base}/open`, `${base}/secure`]) {
      // /secure matches a rule, but this body holds no `secret`: nothing to change either.
      const response = await client(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: odd });
      expect(Buffer.compare(received, odd), url).toBe(0);
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), odd), url).toBe(0);
    }
    await client.close();
  });
});

describe('regression: the typed client takes decimals from the source text', () => {
  it('mid_rate: 1.0 arrives as "1.0", amount: 105.10 as "105.10"', () => {
    const body = parseJsonLossless('{"mid_rate":1.0,"charged_amount":{"amount":105.10},"fx_rate":0.8512}');
    expect(normalizeResponse(body)).toEqual({ mid_rate: '1.0', charged_amount: { amount: '105.10' }, fx_rate: '0.8512' });
  });
});
