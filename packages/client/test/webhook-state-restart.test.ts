// Webhook registrations are kept in the sandbox's `--state` file with the rest of its state, so a
// restarted sandbox keeps pushing to them: a real sandbox over TLS posts to createWebhookHandler on
// a real HTTPS server on 127.0.0.1, before and after a restart from the same directory. A state
// file written before registrations were kept loads as "no registrations" and works as before.
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@mcapi/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProvisionedKeyring, provisionKeyring, sandboxClientOptions } from '../demo/provision.js';
import { createClient, createWebhookHandler, type McapiClient, type WebhookEvent } from '../src/index.js';
import { digits, partnerServerTls, paymentRequest, type PartnerServerTls } from './helpers.js';

let temp: string;
let serverTls: PartnerServerTls;
const servers: Server[] = [];
const running: Array<{ sandbox: Sandbox; client?: McapiClient }> = [];
const sleeps: number[] = [];
const webhookSleep = async (ms: number) => void sleeps.push(ms);

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'mcapi-webhook-state-'));
  serverTls = await partnerServerTls();
}, 60_000);
afterAll(async () => {
  for (const { sandbox, client } of running) {
    await client?.close();
    await sandbox.close();
  }
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(temp, { recursive: true, force: true });
});

async function start(state: string): Promise<Sandbox> {
  const sandbox = await startSandbox({ state, webhookSleep });
  running.push({ sandbox });
  return sandbox;
}

function clientFor(sandbox: Sandbox, provisioned: ProvisionedKeyring): McapiClient {
  const client = createClient(sandboxClientOptions(sandbox, provisioned.keyring));
  running.find((entry) => entry.sandbox === sandbox)!.client = client;
  return client;
}

/** The partner's webhook: an HTTPS server asking for a client certificate from `sandboxCa`. */
async function partnerServer(sandboxCa: string, provisioned: ProvisionedKeyring) {
  const events: WebhookEvent[] = [];
  const handler = createWebhookHandler({
    decryptionKeys: () => provisioned.keyring.decryptionKeys('sandbox'),
    verifyPeer: true,
    onEvent: (event) => void events.push(event),
  });
  const server = createServer({ ...serverTls, ca: sandboxCa, requestCert: true, rejectUnauthorized: true }, (req, res) => void handler(req, res));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/mastercard/webhook`, events };
}

async function register(sandbox: Sandbox, url: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${sandbox.urls.dashboard}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, ca: serverTls.ca, ...extra }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; url: string; flavour: string };
}

const pay = (client: McapiClient) => client.crossBorder.payments.create(paymentRequest(`09${digits(10)}`));

const statuses = (events: WebhookEvent[]) => events.map((event) => (event.type === 'payment.status' ? [event.transactionReference, event.status] : [event.type]));

describe('webhook registrations in --state', () => {
  it('a restarted sandbox keeps its registrations (state file 0600) and pushes to them', async () => {
    const state = join(temp, 'restart');
    const first = await start(state);
    const provisioned = await provisionKeyring(first, join(temp, 'restart-keyring'));
    const camel = await partnerServer(first.caCertificate, provisioned);
    const flat = await partnerServer(first.caCertificate, provisioned);
    const kept = await register(first, camel.url);
    const removed = await register(first, `${flat.url.slice(0, -'/webhook'.length)}/old/webhook`);
    const snake = await register(first, flat.url, { flavour: 'snake_case' });
    expect((await fetch(`${first.urls.dashboard}/webhooks/${removed.id}`, { method: 'DELETE' })).status).toBe(204);
    await first.close();

    const file = join(state, 'sandbox-state.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { webhooks: { registrations: Array<{ id: string }> } };
    expect(saved.webhooks.registrations.map((entry) => entry.id)).toEqual([kept.id, snake.id]);

    const second = await start(state);
    expect(second.webhooks.list().map(({ id, url, flavour, ca }) => ({ id, url, flavour, ca }))).toEqual([
      { id: kept.id, url: camel.url, flavour: 'camelCase', ca: serverTls.ca },
      { id: snake.id, url: flat.url, flavour: 'snake_case', ca: serverTls.ca },
    ]);
    const payment = await pay(clientFor(second, provisioned));
    await second.webhooks.idle();
    // The restarted sandbox's notification certificate comes from the same (saved) CA, and the
    // response key is the saved one: both webhooks accept and decrypt the push.
    expect(statuses(camel.events)).toEqual([[payment.transaction_reference, 'SUCCESS']]);
    expect(statuses(flat.events)).toEqual([[payment.transaction_reference, 'SUCCESS']]);
    expect(camel.events[0]).toMatchObject({ encrypted: true, flavour: 'camelCase' });
    expect(flat.events[0]).toMatchObject({ encrypted: true, flavour: 'snake_case' });
    expect(sleeps).toEqual([]);
  });

  it('a state file from before registrations were kept loads with none, works, and keeps the next one', async () => {
    const state = join(temp, 'old');
    const first = await start(state);
    const provisioned = await provisionKeyring(first, join(temp, 'old-keyring'));
    await first.close();
    // What a sandbox of the previous release wrote: the same file without a `webhooks` member.
    const file = join(state, 'sandbox-state.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(saved).toHaveProperty('webhooks', { registrations: [] });
    delete saved.webhooks;
    await writeFile(file, JSON.stringify(saved), { mode: 0o600 });

    const second = await start(state);
    expect(second.webhooks.list()).toEqual([]);
    const partner = await partnerServer(second.caCertificate, provisioned);
    const registration = await register(second, partner.url);
    const payment = await pay(clientFor(second, provisioned));
    await second.webhooks.idle();
    expect(statuses(partner.events)).toEqual([[payment.transaction_reference, 'SUCCESS']]);
    await second.close();

    const third = await start(state);
    expect(third.webhooks.list().map((entry) => entry.id)).toEqual([registration.id]);
  });

  it('a state file whose webhooks are not a list of registrations, or name a URL off the machine, fails the start, naming the file', async () => {
    const state = join(temp, 'damaged');
    await (await start(state)).close();
    const file = join(state, 'sandbox-state.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...saved, webhooks: { registrations: [{ id: 'whk_1', url: 42 }] } }), { mode: 0o600 });
    await expect(startSandbox({ state })).rejects.toMatchObject({
      code: 'ERR_SANDBOX',
      message: expect.stringMatching(/sandbox-state\.json.*move it away to start fresh/),
    });
    // A registration the sandbox would refuse (here a host off the machine) is refused when read
    // back too: an edited state file cannot send pushes elsewhere.
    const offMachine = { id: 'whk_2', project: 'default', url: 'https://example.com/mastercard/webhook', flavour: 'camelCase', createdAt: new Date(0).toISOString() };
    await writeFile(file, JSON.stringify({ ...saved, webhooks: { registrations: [offMachine] } }), { mode: 0o600 });
    await expect(startSandbox({ state })).rejects.toMatchObject({
      code: 'ERR_SANDBOX',
      message: expect.stringMatching(/sandbox-state\.json.*move it away to start fresh/),
    });
  });
});
