// Pure request-shaping tests: undici MockAgent stands in for the network (design.md allows it for
// this only); the JWE on both sides is real (@mcapi/jwe with keys made here).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decrypt, encrypt } from '@mcapi/jwe';
import { publicKeyFingerprint } from '@mcapi/keys';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClientLogEvent, createClient, DeclinedError, type McapiClient, parseJsonLossless } from '../src/index.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = rsa(); // "Mastercard": requests are encrypted to it
const ours = rsa(); // our response-decryption key
const decoder = new TextDecoder();

async function openRequest(body: unknown, field = 'encryptedData'): Promise<string> {
  const wrapper = JSON.parse(String(body)) as Record<string, unknown>;
  const token = field === 'encrypted_payload' ? (wrapper.encrypted_payload as { data: string }).data : (wrapper[field] as string);
  return decoder.decode((await decrypt(token, { keys: server.privateKey })).plaintext);
}
const sealResponse = async (plaintext: string, key: KeyObject = ours.publicKey) => encrypt(plaintext, { key });

let agent: MockAgent;
let client: McapiClient;
let events: ClientLogEvent[];
let authorizations: string[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  events = [];
  authorizations = [];
  let counter = 0;
  client = createClient({
    environment: { benefitAllocation: { baseUrl: 'https://bas.test/loyalty/benefits' }, crossBorder: { baseUrl: 'https://xb.test' } },
    // No mtls: the dispatcher owns the connections (and would present a client certificate).
    encryption: { encryptionKey: server.publicKey, decryptionKeys: new Map([[publicKeyFingerprint(ours.publicKey), ours.privateKey]]) },
    crossBorder: {
      partnerId: 'SANDBOX_1234567',
      authorizer: async ({ method, url, body }) => {
        counter += 1;
        authorizations.push(`${method} ${url} ${body?.length ?? 0} #${counter}`);
        return { authorization: `Test nonce-${counter}` };
      },
    },
    dispatcher: agent,
    maxRetries: 2,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
    logger: (event) => events.push(event),
  });
});

afterEach(async () => {
  await client.close();
  await agent.close();
});

describe('Benefit Allocation request shaping', () => {
  it('writes a 19-digit PAN as an exact JSON integer inside {"encryptedData": JWE} and decrypts the response', async () => {
    let plaintext = '';
    let headers: Record<string, string> = {};
    agent
      .get('https://bas.test')
      .intercept({ path: '/loyalty/benefits/card-segments', method: 'POST' })
      .reply(200, async (request) => {
        plaintext = await openRequest(request.body);
        headers = request.headers as Record<string, string>;
        return JSON.stringify({ encryptedData: await sealResponse('{"bundles":[{"code":"PC4657","effectiveDate":"2026-11-25","expiryDate":null}]}') });
      });
    const result = await client.benefitAllocation.assignSegment({
      cardNumber: '5291070000000000123',
      segments: [{ code: 'DART', effectiveDate: '2026-11-25' }],
    });
    expect(plaintext).toBe('{"cardNumber":5291070000000000123,"segments":[{"code":"DART","effectiveDate":"2026-11-25"}]}');
    expect((parseJsonLossless(plaintext) as { cardNumber: bigint }).cardNumber).toBe(5291070000000000123n);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-mc-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.authorization).toBeUndefined();
    expect(result.bundles).toEqual([{ code: 'PC4657', effectiveDate: '2026-11-25', expiryDate: null }]);
  });

  it('freezes with isFrozen true and accepts the empty 204', async () => {
    let plaintext = '';
    agent
      .get('https://bas.test')
      .intercept({ path: '/loyalty/benefits/cards', method: 'PUT' })
      .reply(204, async (request) => {
        plaintext = await openRequest(request.body);
        return '';
      });
    await expect(client.benefitAllocation.freezeCard({ cardNumber: 5291070000000000n, date: '2026-11-25' })).resolves.toBeUndefined();
    expect(JSON.parse(plaintext)).toEqual({ cardNumber: 5291070000000000, date: '2026-11-25', isFrozen: true });
  });

  it('refuses a PAN given as a JavaScript number before sending anything', async () => {
    await expect(
      client.benefitAllocation.assignSegment({ cardNumber: 5291070000000000 as unknown as bigint, segments: [] }),
    ).rejects.toThrowError(/cardNumber must be a bigint or a digit string/);
  });
});

describe('Cross-Border request shaping', () => {
  it('wraps the body as encrypted_payload with x-encrypted, signs the wrapped bytes, unwraps the quote', async () => {
    let seen: { body: string; headers: Record<string, string> } | undefined;
    agent
      .get('https://xb.test')
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/quotes', method: 'POST' })
      .reply(200, async (request) => {
        seen = { body: await openRequest(request.body, 'encrypted_payload'), headers: request.headers as Record<string, string> };
        const quote = { quote: { transaction_reference: '08ACFQ', proposals: { proposal: { id: 'pen_1', fees_included: 'true' } } } };
        return JSON.stringify({ encrypted_payload: { data: await sealResponse(JSON.stringify(quote)) } });
      });
    const quote = await client.crossBorder.quotes.create({
      transaction_reference: '08ACFQ',
      payment_type: 'P2P',
      payment_amount: { amount: '105.15', currency: 'USD' },
      quote_type: { forward: { receiver_currency: 'GBP', fees_included: true } },
    });
    expect(JSON.parse(seen!.body).quoterequest.transaction_reference).toBe('08ACFQ');
    // The string forms Mastercard's reference app sends (api-facts §2.14), not a JSON boolean.
    expect(seen!.body).toContain('"fees_included":"true"');
    expect(seen!.body).toContain('"amount":"105.15"');
    expect(seen!.headers['x-encrypted']).toBe('true');
    expect(seen!.headers.authorization).toBe('Test nonce-1');
    expect(quote.proposals?.proposal).toEqual([{ id: 'pen_1', fees_included: true }]);
    // The authorizer saw the wrapped (encrypted) body, the bytes on the wire.
    expect(authorizations[0]).toMatch(/^POST https:\/\/xb\.test\/send\/v1\/partners\/SANDBOX_1234567\/crossborder\/quotes \d{3,} #1$/);
  });

  it('retries a 503 with Retry-After, signing every attempt anew with the same encrypted body', async () => {
    const bodies: string[] = [];
    const pool = agent.get('https://xb.test');
    pool
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/payment', method: 'POST' })
      .reply(503, (request) => {
        bodies.push(String(request.body));
        return '';
      }, { headers: { 'retry-after': '0' } });
    pool
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/payment', method: 'POST' })
      .reply(200, async (request) => {
        bodies.push(String(request.body));
        return JSON.stringify({ payment: { id: 'rem_1', status: 'SUCCESS' } });
      });
    const payment = await client.crossBorder.payments.create({ transaction_reference: '09X' });
    expect(payment).toEqual({ id: 'rem_1', status: 'SUCCESS' });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(authorizations.map((line) => line.split('#')[1])).toEqual(['1', '2']);
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(1);
  });

  it('never resends a payment POST after a plain 500, and maps a 402 to DeclinedError', async () => {
    const pool = agent.get('https://xb.test');
    let calls = 0;
    pool.intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/payment', method: 'POST' }).reply(500, () => {
      calls += 1;
      return '{"Errors":{"Error":{"ReasonCode":"UNKNOWN"}}}';
    });
    await expect(client.crossBorder.payments.create({ transaction_reference: '09Y' })).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(1);
    pool
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/payment', method: 'POST' })
      .reply(402, '{"Errors":{"Error":{"ReasonCode":"DECLINE","Source":"payment_amount","Details":{"Detail":{"Name":"ErrorDetailCode","Value":"130118"}}}}}');
    const error = await client.crossBorder.payments.create({ transaction_reference: '2X130118' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeclinedError);
    expect((error as DeclinedError).errorDetailCode).toBe('130118');
  });

  it('a 2xx body that is not JSON is ERR_RESPONSE_INVALID; an HTML error page still gives the status error', async () => {
    const pool = agent.get('https://xb.test');
    pool.intercept({ path: (path) => path.includes('rem_1'), method: 'GET' }).reply(200, '<html>oops</html>');
    await expect(client.crossBorder.payments.retrieve('rem_1')).rejects.toMatchObject({ code: 'ERR_RESPONSE_INVALID' });
    pool.intercept({ path: (path) => path.includes('rem_3'), method: 'GET' }).reply(404, '<html>not found</html>');
    await expect(client.crossBorder.payments.retrieve('rem_3')).rejects.toMatchObject({ code: 'ERR_API', status: 404 });
  });

  it('builds retrieve-by-reference, balances and cancel URLs, and applies per-request overrides', async () => {
    const pool = agent.get('https://xb.test');
    let rawPath = '';
    pool.intercept({ path: (path) => path.startsWith('/send/v1/partners/OTHER/crossborder?'), method: 'GET' }).reply(200, (request) => {
      rawPath = request.path;
      return '{"payment":{"id":"rem_2"}}';
    });
    pool.intercept({ path: '/send/partners/SANDBOX_1234567/crossborder/accounts?include_balance=true', method: 'GET' }).reply(200, '[{"accountId":"acct_1"}]');
    let cancelBody = '';
    pool
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/rem_2/cancel', method: 'POST' })
      .reply(200, async (request) => {
        cancelBody = await openRequest(request.body, 'encrypted_payload');
        return '{"cancelpayment":{"status":"SUCCESS"}}';
      });
    await expect(client.crossBorder.payments.retrieve({ reference: 'ref 1+(x)' }, { partnerId: 'OTHER' })).resolves.toEqual({ id: 'rem_2' });
    expect(rawPath).toBe('/send/v1/partners/OTHER/crossborder?ref=ref%201%2B%28x%29');
    await expect(client.crossBorder.balances.list({ includeBalance: true })).resolves.toEqual([{ accountId: 'acct_1' }]);
    await expect(client.crossBorder.payments.cancel('rem_2', { correlationId: 'corr-1' })).resolves.toEqual({ status: 'SUCCESS' });
    // An empty object, as api-facts §2.14 corrects (not `{"cancelpaymentrequest":""}`).
    expect(cancelBody).toBe('{}');
    expect(events.filter((event) => event.type === 'response').map((event) => event.correlationId)).toContain('corr-1');
    await expect(client.crossBorder.payments.retrieve('rem_2', { headers: { Authorization: 'x' } })).rejects.toThrowError(/must not set "authorization"/);
  });

  it('aborts a call with its AbortSignal', async () => {
    agent
      .get('https://xb.test')
      .intercept({ path: '/send/v1/partners/SANDBOX_1234567/crossborder/rem_9', method: 'GET' })
      .reply(200, '{"payment":{}}')
      .delay(5_000);
    const controller = new AbortController();
    const pending = client.crossBorder.payments.retrieve('rem_9', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

describe('createClient options', () => {
  it('names the bad option', () => {
    expect(() => createClient({ environment: 'nowhere' as 'sandbox' })).toThrowError(/environment must be one of/);
    expect(() => createClient({ environment: 'sandbox', maxRetries: -1 })).toThrowError(/maxRetries/);
    expect(() => createClient({ environment: { crossBorder: { baseUrl: 'http://x' } } })).toThrowError(/https/);
  });

  it('reports a group without credentials only when it is used', async () => {
    const bare = createClient({ environment: 'sandbox' });
    await expect(bare.benefitAllocation.assignSegment({ cardNumber: '5291070000000000', segments: [] })).rejects.toThrowError(
      /client\.benefitAllocation is not configured: mtls/,
    );
    await expect(bare.crossBorder.quotes.create({} as never)).rejects.toThrowError(/client\.crossBorder is not configured/);
    await bare.close();
  });
});
