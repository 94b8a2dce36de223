// The demo's partner endpoint for Cross-Border push notifications: an HTTPS server on 127.0.0.1
// that asks for the sandbox's "Mastercard notification" client certificate and runs
// createWebhookHandler with the demo keyring's response-decryption keys.
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Keyring } from '@mcapi/keys';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import type { Sandbox } from '@mcapi/sandbox';
import { createWebhookHandler, type WebhookEvent } from '../src/index.js';

/** A running demo webhook: its URL, the CA that signed its server certificate, what it received. */
export interface DemoWebhook {
  url: string;
  ca: string;
  events: WebhookEvent[];
  close(): Promise<void>;
}

/** Starts the endpoint and registers it on the sandbox for the default project. */
export async function startDemoWebhook(sandbox: Sandbox, keyring: Keyring): Promise<DemoWebhook> {
  const [ca, pair] = await Promise.all([createCertificateAuthority({ commonName: 'mcapi demo partner CA' }), generateRsaKeyPair(2048)]);
  const certificate = issueCertificate({ issuer: ca, publicKey: pair.publicKey, subject: { CN: 'localhost' }, usage: 'server', ipAddresses: ['127.0.0.1'], validityDays: 1 });
  const events: WebhookEvent[] = [];
  const handler = createWebhookHandler({
    decryptionKeys: () => keyring.decryptionKeys('sandbox'),
    verifyPeer: true,
    onEvent: (event) => void events.push(event),
  });
  const server = createServer(
    { cert: certificate.toString(), key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), ca: sandbox.caCertificate, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      if (req.method === 'POST' && req.url === '/mastercard/webhook') return void handler(req, res);
      res.writeHead(404).end();
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mastercard/webhook`;
  const caPem = ca.certificate.toString();
  const registration = sandbox.webhooks.register({ project: 'default', url, ca: caPem });
  return {
    url,
    ca: caPem,
    events,
    async close() {
      sandbox.webhooks.unregister(registration.id);
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    },
  };
}
