// The real sandbox posts push notifications (api-facts §2.6.12) over mTLS, with its "Mastercard
// notification" client certificate, JWE-encrypted to our response key, to createWebhookHandler
// on a real HTTPS server on 127.0.0.1; it retries non-200 answers three times with backoff (the
// sandbox's sleep is injected: no wall-clock waits or assertions).
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookHandler, type WebhookEvent, type WebhookHandlerOptions } from '../src/index.js';
import { digits, partnerServerTls, type PartnerServerTls, paymentRequest, quoteRequest, startWorld, type World } from './helpers.js';

let world: World;
const sleeps: number[] = [];
let serverTls: PartnerServerTls;
const servers: Server[] = [];

beforeAll(async () => {
  world = await startWorld({}, { webhookSleep: async (ms) => void sleeps.push(ms) });
  // The partner's own server identity, from a CA of its own that the sandbox is told to trust.
  serverTls = await partnerServerTls();
}, 60_000);
afterAll(async () => {
  for (const hook of world?.sandbox.webhooks.list() ?? []) world.sandbox.webhooks.unregister(hook.id);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await world?.close();
});
beforeEach(() => {
  for (const hook of world.sandbox.webhooks.list()) world.sandbox.webhooks.unregister(hook.id);
  sleeps.length = 0;
});

/** An HTTPS server that asks for the sandbox's client certificate and runs the handler. */
async function partnerServer(options: Partial<WebhookHandlerOptions>, wrap?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void) {
  const events: WebhookEvent[] = [];
  const statuses: number[] = [];
  const handler = createWebhookHandler({
    decryptionKeys: () => world.provisioned.keyring.decryptionKeys('sandbox'),
    verifyPeer: true,
    onEvent: (event) => void events.push(event),
    ...options,
  });
  const server = createServer({ ...serverTls, ca: world.sandbox.caCertificate, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    res.on('finish', () => statuses.push(res.statusCode));
    const next = () => void handler(req, res);
    if (wrap) wrap(req, res, next);
    else next();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mastercard/webhook`;
  return { url, events, statuses };
}

/** Registers through the dashboard's HTTP API, as a partner would. */
async function register(url: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${world.sandbox.urls.dashboard}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, ca: serverTls.ca, ...extra }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; flavour: string };
}

const payP2P = (reference: string) => world.client.crossBorder.payments.create(paymentRequest(reference));

describe('push notifications from the sandbox to createWebhookHandler', () => {
  it('posts an encrypted payment status push over mTLS with the Mastercard notification certificate', async () => {
    const partner = await partnerServer({});
    await register(partner.url);
    const payment = await payP2P(`09${digits(10)}`);
    await world.sandbox.webhooks.idle();
    expect(partner.events).toHaveLength(1);
    const [event] = partner.events;
    expect(event).toMatchObject({ type: 'payment.status', transactionReference: payment.transaction_reference, status: 'SUCCESS', encrypted: true, flavour: 'camelCase' });
    // Exact decimal text through JWE and back.
    expect(JSON.stringify(event!.body)).toContain('"paymentAmount":{"amount":"10.10"');
    const [delivery] = world.sandbox.webhooks.deliveries().slice(-1);
    expect(delivery).toMatchObject({ state: 'delivered', encrypted: true, eventRef: event!.eventRef, transactionType: 'PAYMENT' });
    expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([200]);
    // A pending payment that is cancelled pushes PENDING, then CANCELLED.
    const pending = await payP2P(`06${digits(10)}`);
    await world.client.crossBorder.payments.cancel(pending.id!);
    await world.sandbox.webhooks.idle();
    expect(partner.events.slice(1).map((entry) => (entry.type === 'payment.status' ? entry.status : undefined))).toEqual(['PENDING', 'CANCELLED']);
  });

  it('an 8…RR payment pushes its first status, then RETURNED with the return code: own eventRefs, in order, each once, both flavours', async () => {
    // The camelCase webhook answers its first POST 503: the SUCCESS push is retried, and the
    // RETURNED push must still arrive after it (one webhook, one queue).
    let refused = false;
    const camel = await partnerServer({}, (req, res, next) => {
      if (refused) return next();
      refused = true;
      req.resume();
      res.writeHead(503).end();
    });
    const flat = await partnerServer({});
    await register(camel.url);
    await register(flat.url, { flavour: 'snake_case' });
    const reference = `8${digits(8)}RR130101`;
    const payment = await payP2P(reference);
    expect(payment.status).toBe('SUCCESS');
    await world.sandbox.webhooks.idle();
    const statusOf = (event: WebhookEvent) => (event.type === 'payment.status' ? [event.type, event.transactionReference, event.status] : [event.type]);
    for (const partner of [camel, flat]) {
      expect(partner.events.map(statusOf)).toEqual([
        ['payment.status', reference, 'SUCCESS'],
        ['payment.status', reference, 'RETURNED'],
      ]);
      expect(new Set(partner.events.map((event) => event.eventRef)).size).toBe(2);
    }
    expect(camel.statuses).toEqual([503, 200, 200]);
    expect(sleeps).toEqual([1000]);
    // The same event reaches both webhooks under one eventRef, in its flavour.
    expect(flat.events.map((event) => event.eventRef)).toEqual(camel.events.map((event) => event.eventRef));
    expect(flat.events.map((event) => event.flavour)).toEqual(['snake_case', 'snake_case']);
    const returned = camel.events[1]!.body as { payment: { transactionStatus: unknown }; transactionHistories: Array<{ status: string }> };
    expect(returned.payment.transactionStatus).toEqual({ status: 'RETURNED', errorCode: '130101', errorMessage: 'DECLINE:Returned with reason 130101' });
    expect(returned.transactionHistories.map((step) => step.status)).toEqual(['SUCCESS', 'RETURNED']);
    expect(flat.events[1]!.body).toMatchObject({ current_transaction_status: 'RETURNED', return_message: 'DECLINE:Returned with reason 130101' });
    // What the pushes said is what Retrieve Payment reads.
    expect((await world.client.crossBorder.payments.retrieve(payment.id!)).status).toBe('RETURNED');
  });

  it('onEvent throwing → 500 → the sandbox retries with backoff → delivered once', async () => {
    let calls = 0;
    const delivered: WebhookEvent[] = [];
    const partner = await partnerServer({
      onEvent: (event) => {
        calls += 1;
        if (calls < 3) throw new Error('database down');
        delivered.push(event);
      },
    });
    await register(partner.url);
    await payP2P(`09${digits(10)}`);
    await world.sandbox.webhooks.idle();
    expect(partner.statuses).toEqual([500, 500, 200]);
    expect(delivered).toHaveLength(1);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('a retry of a notification already handled (its 200 lost on the way) is delivered once', async () => {
    let dropped = false;
    const partner = await partnerServer({}, (req, res, next) => {
      if (!dropped) {
        dropped = true;
        // The handler runs to the end, but the connection dies before its 200 reaches the sandbox.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
      next();
    });
    await register(partner.url);
    await payP2P(`09${digits(10)}`);
    await world.sandbox.webhooks.idle();
    const [delivery] = world.sandbox.webhooks.deliveries().slice(-1);
    expect(delivery!.attempts).toHaveLength(2);
    expect(delivery!.attempts[0]!.status).toBeUndefined();
    expect(delivery!.attempts[1]!.status).toBe(200);
    expect(partner.events).toHaveLength(1);
    expect(sleeps).toEqual([1000]);
  });

  it('a body the partner cannot decrypt is 400; the sandbox gives up after 3 retries', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const partner = await partnerServer({ decryptionKeys: stranger });
    await register(partner.url);
    await payP2P(`09${digits(10)}`);
    await world.sandbox.webhooks.idle();
    expect(partner.statuses).toEqual([400, 400, 400, 400]);
    expect(partner.events).toHaveLength(0);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(world.sandbox.webhooks.deliveries().at(-1)).toMatchObject({ state: 'failed' });
  });

  it('sends the flat snake_case flavour to a webhook registered for it', async () => {
    const partner = await partnerServer({});
    const registration = await register(partner.url, { flavour: 'snake_case' });
    expect(registration.flavour).toBe('snake_case');
    const payment = await payP2P(`09${digits(10)}`);
    await world.sandbox.webhooks.idle();
    expect(partner.events[0]).toMatchObject({ type: 'payment.status', flavour: 'snake_case', transactionReference: payment.transaction_reference, status: 'SUCCESS' });
  });

  it('pushes quote status changes and RFI creation and answers', async () => {
    const partner = await partnerServer({});
    await register(partner.url);
    const reference = `40${digits(10)}`;
    const quote = await world.client.crossBorder.quotes.create(quoteRequest(reference));
    await world.client.crossBorder.quotes.confirm({ transactionReference: reference, proposalId: quote.proposals!.proposal![0]!.id! });
    await world.client.crossBorder.rfi.retrieve('11-push');
    await world.client.crossBorder.rfi.update('11-push', { other: { comment: 'done' } });
    // ASV answers IN_PROGRESS; the result follows as an Account Validation Push.
    const asv = await world.client.crossBorder.accounts.validate({ requestType: 'ASV', accountUri: { type: 'PAN', value: '4000340000000515' } });
    expect(asv.status).toBe('IN_PROGRESS');
    await world.sandbox.webhooks.idle();
    const statusOf = (event: WebhookEvent) =>
      event.type === 'rfi' ? event.requestStatus : event.type === 'quote.status' || event.type === 'account-validation' ? event.status : undefined;
    expect(partner.events.map((event) => [event.type, statusOf(event)])).toEqual([
      ['quote.status', 'CONFIRMED'],
      ['rfi', 'OPEN'],
      ['rfi', 'REVIEW'],
      ['account-validation', 'SUCCESS'],
    ]);
    const validation = partner.events[3];
    expect(validation?.type === 'account-validation' && validation.refId).toBe(asv.refId);
    expect(partner.events.every((event) => event.encrypted)).toBe(true);
  });

  it('publishes carded rates on the dashboard: the Carded Rate Push (CARDFX_PUB) arrives encrypted, once per webhook, as event.type "rates"', async () => {
    const camel = await partnerServer({});
    const flat = await partnerServer({});
    await register(camel.url);
    await register(flat.url, { flavour: 'snake_case' });
    const publish = (body: unknown) =>
      fetch(`${world.sandbox.urls.dashboard}/rates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // A bad pair is refused before anything is sent.
    const refused = await publish({ pairs: ['USD/XXX'] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_OPTION');
    const response = await publish({ partnerId: 'SANDBOX_1234567', pairs: ['USD/GBP', 'EUR/INR'] });
    expect(response.status).toBe(200);
    const published = (await response.json()) as { eventRef: string; rates: Array<{ tiers: Array<{ rate_id: string }> }>; deliveries: unknown[] };
    expect(published.deliveries).toHaveLength(2);
    await world.sandbox.webhooks.idle();
    for (const partner of [camel, flat]) {
      expect(partner.events).toHaveLength(1);
      expect(partner.events[0]).toMatchObject({ type: 'rates', eventRef: published.eventRef, eventType: 'CARDFX_PUB', encrypted: true });
    }
    // P2's shape (api-facts §2.6.4): top-level `rates` array, each with `tiers` as a plain array;
    // rates and amounts are strings, exactly as published.
    const body = camel.events[0]!.body as { rates: Array<Record<string, unknown> & { tiers: Array<Record<string, unknown>> }> };
    expect(Object.keys(body).sort()).toEqual(['event_ref', 'event_type', 'rates']);
    expect(body.rates.map((rate) => [rate.from_currency_code, rate.to_currency_code, rate.partner_id])).toEqual([
      ['USD', 'GBP', 'SANDBOX_1234567'],
      ['EUR', 'INR', 'SANDBOX_1234567'],
    ]);
    expect(body.rates[0]).toMatchObject({ type: 'single', use: 'CMSP', account_type: 'BANK', valid_from: expect.stringMatching(/Z$/), valid_to: expect.stringMatching(/Z$/) });
    expect(body.rates[0]!.tiers[0]).toEqual({ from_amount: '0.00', rate_id: published.rates[0]!.tiers[0]!.rate_id, ask_rate: expect.any(String), mid_rate: '0.78580000', bid_rate: expect.any(String) });
    expect(JSON.stringify(flat.events[0]!.body)).toBe(JSON.stringify(body));
    const deliveries = world.sandbox.webhooks.deliveries().filter((delivery) => delivery.eventRef === published.eventRef);
    expect(deliveries.map((delivery) => [delivery.state, delivery.eventType, delivery.attempts.length])).toEqual([
      ['delivered', 'CARDFX_PUB', 1],
      ['delivered', 'CARDFX_PUB', 1],
    ]);
    expect(sleeps).toEqual([]);
  });

  it('refuses webhook URLs that are not https on loopback ending in /webhook', async () => {
    for (const url of ['http://127.0.0.1:9/webhook', 'https://example.com/webhook', 'https://127.0.0.1:9/hook', 'https://127.0.0.1:9/webhook?key=1']) {
      const response = await fetch(`${world.sandbox.urls.dashboard}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
      expect(response.status).toBe(400);
    }
    expect(world.sandbox.webhooks.list()).toHaveLength(0);
  });
});
