import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { McapiError } from '@mcapi/errors';
import { encrypt } from '@mcapi/jwe';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventRefStore, createWebhookHandler, type WebhookEvent, type WebhookHandlerOptions } from '../src/index.js';

// Real HTTP posts to a real node:http server running the handler, on 127.0.0.1.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(options: Partial<WebhookHandlerOptions> & { onEvent: WebhookHandlerOptions['onEvent'] }) {
  const errors: McapiError[] = [];
  const handler = createWebhookHandler({ decryptionKeys: privateKey, onError: (error) => errors.push(error), ...options });
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const post = async (body: string, method = 'POST') => {
    const response = await request(url, { method, body: method === 'POST' ? body : null, headers: { 'content-type': 'application/json' } });
    await response.body.dump();
    return response.statusCode;
  };
  return { post, errors };
}

const paymentPush = (eventRef: string) =>
  `{"partnerId":"SANDBOX_1234567","eventRef":"${eventRef}","eventType":"STATUS_CHG","transactionReference":"0999999034810154901","transactionType":"PAYMENT",` +
  `"payment":{"proposalId":"pen_1","transactionStatus":{"status":"SUCCESS"},"principalAmount":{"amount":"105.10","currency":"USD"},"fxRate":1.0,"senderAccountUri":"tel:+254108989"}}`;

const snakePaymentPush = (eventRef: string) =>
  `{"partner_id":"SANDBOX_1234567","event_ref":"${eventRef}","event_type":"STATUS_CHG","transaction_reference":"0999999034810154902","transaction_type":"PAYMENT",` +
  `"payment_type":"P2P","current_transaction_status":"RETURNED","return_message":"Account closed","transaction_history":[]}`;

const encrypted = async (plaintext: string) => JSON.stringify({ encrypted_payload: { data: await encrypt(plaintext, { key: publicKey }) } });

describe('createWebhookHandler', () => {
  it('decrypts an encrypted camelCase status push, normalises it, and keeps exact numbers', async () => {
    const events: WebhookEvent[] = [];
    const { post } = await serve({ onEvent: (event) => void events.push(event) });
    expect(await post(await encrypted(paymentPush('ev-1')))).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'payment.status',
      eventRef: 'ev-1',
      eventType: 'STATUS_CHG',
      partnerId: 'SANDBOX_1234567',
      transactionReference: '0999999034810154901',
      status: 'SUCCESS',
      flavour: 'camelCase',
      encrypted: true,
    });
    expect(events[0]?.body.payment).toMatchObject({ principalAmount: { amount: '105.10' } });
  });

  it('reads the flat snake_case flavour too', async () => {
    const events: WebhookEvent[] = [];
    const { post } = await serve({ onEvent: (event) => void events.push(event) });
    expect(await post(snakePaymentPush('ev-2'))).toBe(200);
    expect(events[0]).toMatchObject({ type: 'payment.status', eventRef: 'ev-2', transactionReference: '0999999034810154902', status: 'RETURNED', flavour: 'snake_case', encrypted: false });
  });

  it('classifies quote, rates, RFI and account-validation pushes', async () => {
    const events: WebhookEvent[] = [];
    const { post } = await serve({ onEvent: (event) => void events.push(event) });
    const bodies = [
      '{"eventRef":"q1","eventType":"QUOTE_STATUS_CHG","transactionType":"QUOTE","transactionReference":"0800310ACFQ","quote":{"proposalId":"pen_9","confirmStatus":{"status":"CONFIRMED"}}}',
      '{"event_ref":"r1","event_type":"RATE_CHG","rates":[{"rate":"0.912345"}]}',
      '{"partnerId":"P","transactionType":"RFI","eventRef":"f1","eventType":"CREATED","notification":{"requestId":"7f1e9c1a-0000-4000-8000-000000000001","requestStatus":"OPEN"},"requestStatus":"OPEN"}',
      '{"eventRef":"a1","refId":"ref-77","status":"SUCCESS","receivingEligibility":{"status":"ELIGIBLE"}}',
    ];
    for (const body of bodies) expect(await post(await encrypted(body))).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['quote.status', 'rates', 'rfi', 'account-validation']);
    expect(events[0]).toMatchObject({ proposalId: 'pen_9', status: 'CONFIRMED' });
    expect(events[2]).toMatchObject({ requestId: '7f1e9c1a-0000-4000-8000-000000000001', requestStatus: 'OPEN' });
    expect(events[3]).toMatchObject({ refId: 'ref-77', status: 'SUCCESS' });
  });

  it('delivers a retried eventRef once, also when the retry arrives while the first is in flight', async () => {
    let deliveries = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { post } = await serve({
      onEvent: async () => {
        deliveries += 1;
        await gate;
      },
    });
    const first = post(paymentPush('ev-dup'));
    const concurrent = post(paymentPush('ev-dup'));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await Promise.all([first, concurrent])).toEqual([200, 200]);
    expect(await post(paymentPush('ev-dup'))).toBe(200);
    expect(deliveries).toBe(1);
  });

  it('answers 500 when onEvent throws, without the notification in the error, and delivers the retry', async () => {
    let attempts = 0;
    const delivered: string[] = [];
    const { post, errors } = await serve({
      onEvent: (event) => {
        attempts += 1;
        if (attempts === 1) throw new Error(`database down while storing ${JSON.stringify(event.body)}`);
        delivered.push(event.eventRef);
      },
    });
    expect(await post(await encrypted(paymentPush('ev-retry')))).toBe(500);
    expect(await post(await encrypted(paymentPush('ev-retry')))).toBe(200);
    expect(await post(await encrypted(paymentPush('ev-retry')))).toBe(200);
    expect(delivered).toEqual(['ev-retry']);
    expect(errors.map((error) => error.code)).toEqual(['ERR_WEBHOOK_DELIVERY']);
    const shown = `${errors[0]?.message} ${JSON.stringify(errors[0])} ${inspect(errors[0], { depth: 5 })}`;
    expect(shown).not.toContain('tel:+254108989');
    expect(shown).not.toContain('105.10');
  });

  it('refuses what it cannot read with 400 and one uniform decryption error, never echoing the plaintext', async () => {
    const events: WebhookEvent[] = [];
    const { post, errors } = await serve({ onEvent: (event) => void events.push(event) });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const forOtherKey = JSON.stringify({ encrypted_payload: { data: await encrypt(paymentPush('ev-x'), { key: other }) } });
    expect(await post(forOtherKey)).toBe(400);
    const token = (await encrypt(paymentPush('ev-t'), { key: publicKey })).split('.');
    token[3] = `${token[3]?.[0] === 'A' ? 'B' : 'A'}${token[3]?.slice(1)}`;
    expect(await post(JSON.stringify({ encrypted_payload: { data: token.join('.') } }))).toBe(400);
    expect(await post('{"encrypted_payload":{"data":"not.a.jwe"}}')).toBe(400);
    expect(await post('{"eventRef":')).toBe(400);
    expect(await post('{"partnerId":"P","note":"no eventRef here 5291070000000000123"}')).toBe(400);
    expect(await post('{"eventRef":"u1","something":"else"}')).toBe(400);
    expect(await post('[1,2]')).toBe(400);
    expect(await post('', 'GET')).toBe(405);
    expect(events).toEqual([]);
    expect(errors.every((error) => error.code === 'ERR_WEBHOOK_REJECTED')).toBe(true);
    expect(errors[0]?.message).toContain('ERR_JWE_UNKNOWN_KID');
    expect(errors[1]?.message).toContain('ERR_JWE_DECRYPTION_FAILED');
    expect(errors[2]?.message).toContain('ERR_JWE_MALFORMED');
    expect(errors.map((error) => error.message).join(' ')).not.toMatch(/5291070000000000123|tel:\+254108989/);
  });

  it('with requireEncryption refuses plaintext; a body over maxBodyBytes gets 413', async () => {
    const { post } = await serve({ onEvent: () => {}, requireEncryption: true, maxBodyBytes: 2048 });
    expect(await post(paymentPush('ev-plain'))).toBe(400);
    expect(await post(`{"eventRef":"big","pad":"${'x'.repeat(4096)}"}`)).toBe(413);
    expect(await post(await encrypted(paymentPush('ev-enc')))).toBe(200);
  });

  it('checks options at construction', () => {
    expect(() => createWebhookHandler({} as never)).toThrow(/needs \{ onEvent/);
    expect(() => createWebhookHandler({ onEvent: () => {}, verifyPeer: [] })).toThrow(/verifyPeer/);
    expect(() => createWebhookHandler({ onEvent: () => {}, requireEncryption: true })).toThrow(/needs decryptionKeys/);
    expect(() => createWebhookHandler({ onEvent: () => {}, maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => createWebhookHandler({ onEvent: () => {}, onEvnt: () => {} } as never)).toThrow(/Unknown option onEvnt/);
  });
});

describe('createWebhookHandler body decoding', () => {
  it('a body that is not UTF-8 is a 400 that says so, not a mislabelled failure', async () => {
    const errors: McapiError[] = [];
    const handler = createWebhookHandler({ onEvent: () => {}, onError: (error) => errors.push(error) });
    expect(await handler.receive({ body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) })).toEqual({ status: 400 });
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('not UTF-8')]);
  });
});

describe('memory eventRef store', () => {
  it('forgets after the ttl and keeps at most maxEntries', () => {
    let now = 0;
    const store = createMemoryEventRefStore({ maxEntries: 2, now: () => now });
    store.add('a', 1000);
    store.add('b', 1000);
    store.add('c', 1000);
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
    now = 1001;
    expect(store.has('b')).toBe(false);
  });
});

describe('verifyPeer over mTLS', () => {
  let ca: Awaited<ReturnType<typeof createCertificateAuthority>>;
  let url: string;
  const delivered: string[] = [];
  const identity = async (cn: string) => {
    const pair = await generateRsaKeyPair();
    const certificate = issueCertificate({ issuer: ca, publicKey: pair.publicKey, subject: { CN: cn }, usage: 'client' });
    return { cert: certificate.toString(), key: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  };

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'mcapi test notification CA' });
    const serverPair = await generateRsaKeyPair();
    const serverCert = issueCertificate({ issuer: ca, publicKey: serverPair.publicKey, subject: { CN: 'localhost' }, usage: 'server', ipAddresses: ['127.0.0.1'] });
    const handler = createWebhookHandler({ onEvent: (event) => void delivered.push(event.eventRef), verifyPeer: true });
    const server = createHttpsServer(
      { cert: serverCert.toString(), key: serverPair.privateKey.export({ format: 'pem', type: 'pkcs8' }), ca: ca.certificate.toString(), requestCert: true, rejectUnauthorized: false },
      (req, res) => void handler(req, res),
    );
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  });

  const postAs = async (client: { cert: string; key: string } | undefined, eventRef: string) => {
    const dispatcher = new Agent({ connect: { ca: ca.certificate.toString(), ...client } });
    try {
      const response = await request(url, { method: 'POST', body: paymentPush(eventRef), dispatcher });
      await response.body.dump();
      return response.statusCode;
    } finally {
      await dispatcher.close();
    }
  };

  it("accepts Mastercard's notification CN and refuses another CN or no certificate", async () => {
    expect(await postAs(await identity('CrossborderServicesNotification-mtf.mastercard.com'), 'mtls-1')).toBe(200);
    expect(await postAs(await identity('someone-else.example'), 'mtls-2')).toBe(403);
    expect(await postAs(undefined, 'mtls-3')).toBe(403);
    expect(delivered).toEqual(['mtls-1']);
  });
});
