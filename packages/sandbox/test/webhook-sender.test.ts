import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSender, type NotificationIdentity } from '../src/webhooks/webhook-sender.js';
import { emptyWebhookState, readWebhookState } from '../src/webhooks/webhook-state.js';
import { checkWebhookUrl } from '../src/webhooks/webhook-url.js';

// The webhook sender alone, against a real HTTPS server on 127.0.0.1 that requires a client
// certificate: mTLS identity, retries with the injected sleep, plaintext without a response key,
// the partner's server certificate verified, URL rules. The full path (sandbox → client handler,
// encrypted) is covered by the client's integration-webhook-push.test.ts.

let ca: Awaited<ReturnType<typeof createCertificateAuthority>>;
let identity: NotificationIdentity;
let server: Server;
let url: string;
let answers: number[] = [];
const received: Array<{ body: string; cn: unknown }> = [];

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'webhook test CA' });
  const [serverPair, clientPair] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const serverCert = issueCertificate({ issuer: ca, publicKey: serverPair.publicKey, subject: { CN: 'localhost' }, usage: 'server', ipAddresses: ['127.0.0.1'], validityDays: 1 });
  const clientCert = issueCertificate({ issuer: ca, publicKey: clientPair.publicKey, subject: { CN: 'CrossborderServicesNotification-mtf.mastercard.com' }, usage: 'client', validityDays: 1 });
  identity = { certificate: clientCert.toString(), privateKey: clientPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  server = createServer(
    { cert: serverCert.toString(), key: serverPair.privateKey.export({ type: 'pkcs8', format: 'pem' }), ca: ca.certificate.toString(), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ body, cn: (req.socket as TLSSocket).getPeerCertificate().subject?.CN });
        res.writeHead(answers.shift() ?? 200).end();
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/partner/webhook`;
}, 30_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sender(encryptFor: (project: string, plaintext: string) => Promise<string | undefined> = async () => undefined) {
  const sleeps: number[] = [];
  const created = createWebhookSender({ identity: async () => identity, encryptFor, now: () => Date.UTC(2026, 0, 1), sleep: async (ms) => void sleeps.push(ms) });
  return { created, sleeps };
}

describe('webhook sender', () => {
  it('posts over mTLS with its identity, plaintext when the project has no response key, numbers exact', async () => {
    received.length = 0;
    const { created } = sender();
    created.register({ project: 'p', url, ca: ca.certificate.toString() });
    created.notify({ project: 'p', body: { eventRef: 'e1', transactionType: 'PAYMENT', amount: { value: 1 } } });
    created.notify({ project: 'other', body: { eventRef: 'e2' } });
    await created.idle();
    expect(received).toEqual([{ body: '{"eventRef":"e1","transactionType":"PAYMENT","amount":{"value":1}}', cn: 'CrossborderServicesNotification-mtf.mastercard.com' }]);
    expect(created.deliveries()).toMatchObject([{ eventRef: 'e1', state: 'delivered', encrypted: false, attempts: [{ status: 200 }] }]);
  });

  it('wraps an encrypted body and retries non-200 three times after 1, 2 and 4 s (injected sleep)', async () => {
    received.length = 0;
    answers = [500, 503, 404, 500];
    const { created, sleeps } = sender(async () => 'header.key.iv.ciphertext.tag');
    created.register({ project: 'p', url, ca: ca.certificate.toString() });
    created.notify({ project: 'p', body: { eventRef: 'e3' } });
    await created.idle();
    expect(received.map((entry) => entry.body)).toEqual(Array(4).fill('{"encrypted_payload":{"data":"header.key.iv.ciphertext.tag"}}'));
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(created.deliveries()[0]).toMatchObject({ state: 'failed', encrypted: true });
    expect(created.deliveries()[0]!.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 404, 500]);
  });

  it('verifies the partner server: a certificate from an untrusted CA fails every attempt', async () => {
    received.length = 0;
    const { created } = sender();
    // No `ca`: Node's public CAs do not know the test CA.
    created.register({ project: 'p', url });
    created.notify({ project: 'p', body: { eventRef: 'e4' } });
    await created.idle();
    expect(received).toHaveLength(0);
    const [delivery] = created.deliveries();
    expect(delivery).toMatchObject({ state: 'failed' });
    expect(delivery!.attempts).toHaveLength(4);
    expect(delivery!.attempts[0]!.error).toMatch(/certificate/i);
  });

  it('keeps registrations in the state it is given (saved on each change) and starts with the ones in it', async () => {
    received.length = 0;
    const state = emptyWebhookState();
    let changes = 0;
    const first = createWebhookSender({ identity: async () => identity, encryptFor: async () => undefined, now: () => 0, state, onChange: () => void changes++ });
    const kept = first.register({ project: 'p', url, ca: ca.certificate.toString() });
    const gone = first.register({ project: 'p', url: 'https://127.0.0.1:9/other/webhook' });
    expect(first.unregister(gone.id)).toBe(true);
    expect(first.unregister(gone.id)).toBe(false);
    expect(changes).toBe(3);
    expect(JSON.parse(JSON.stringify(state))).toEqual({ registrations: [kept] });
    const second = createWebhookSender({ identity: async () => identity, encryptFor: async () => undefined, now: () => 0, state: JSON.parse(JSON.stringify(state)) });
    expect(second.list()).toEqual([kept]);
    second.notify({ project: 'p', body: { eventRef: 'e5' } });
    await second.idle();
    expect(received.map((entry) => entry.body)).toEqual(['{"eventRef":"e5"}']);
  });

  it('accepts only https loopback URLs ending in /webhook, without query or credentials', () => {
    const { created } = sender();
    for (const bad of ['http://127.0.0.1/webhook', 'https://10.0.0.1/webhook', 'https://example.com/webhook', 'https://127.0.0.1/hook', 'https://127.0.0.1/webhook?k=1', 'https://u:p@127.0.0.1/webhook', 'nope']) {
      expect(() => created.register({ project: 'p', url: bad }), bad).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    expect(created.register({ project: 'p', url: 'https://localhost:8443/mastercard/webhook' }).flavour).toBe('camelCase');
    expect(created.list('p')).toHaveLength(1);
  });
});

describe('webhook registrations read back from --state', () => {
  const saved = (url: string) => ({ registrations: [{ id: 'whk_1', project: 'default', url, flavour: 'camelCase', createdAt: new Date(0).toISOString() }] });

  it('keeps a registration the sandbox would accept, and refuses any URL it would refuse to register', () => {
    expect(readWebhookState(saved('https://127.0.0.1:8443/mastercard/webhook'))?.registrations).toHaveLength(1);
    for (const url of [
      'https://example.com/mastercard/webhook',
      'https://10.0.0.1:8443/mastercard/webhook',
      'http://127.0.0.1:8443/mastercard/webhook',
      'https://127.0.0.1:8443/mastercard/other',
      'https://127.0.0.1:8443/mastercard/webhook?apikey=x',
      'https://user:pw@127.0.0.1:8443/mastercard/webhook',
    ]) {
      expect(readWebhookState(saved(url)), url).toBeUndefined();
      expect(() => checkWebhookUrl(url), url).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
  });
});
