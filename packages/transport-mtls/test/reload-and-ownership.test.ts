import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initKeyring, openKeyring, publicKeyFingerprint, updateKeyring } from '@mcapi/keys';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtlsTransport } from '../src/index.js';
import { createTestPki, type TestPki } from './support/pki.js';
import { startServer } from './support/tls-server.js';

let pki: TestPki;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reload() under load', () => {
  it('500 requests in flight while the certificate changes: none fails; new connections use the new certificate', async () => {
    const server = await startServer(pki, {
      handler: (request, response) => {
        // Keep requests in flight long enough for the reload to land among them.
        setTimeout(() => {
          const peer = (request.socket as import('node:tls').TLSSocket).getPeerCertificate();
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client: peer.subject?.CN }));
        }, 2);
      },
    });
    cleanups.push(() => server.close());
    const transport = createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.ca.cert, connections: 8 });
    cleanups.push(() => transport.close());

    let completed = 0;
    const send = () =>
      transport.request({ method: 'GET', url: `${server.url}/load` }).then((response) => {
        completed += 1;
        return (JSON.parse(Buffer.from(response.body).toString()) as { client: string }).client;
      });
    const before = Array.from({ length: 500 }, send);
    await delay(20);
    const oldAgent = transport.dispatcher;
    await transport.reload({ cert: pki.nextClient.cert, key: pki.nextClient.key });
    const inFlightAtReload = 500 - completed;
    expect(transport.dispatcher).not.toBe(oldAgent);
    const after = Array.from({ length: 100 }, send);

    const results = await Promise.allSettled([...before, ...after]);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(inFlightAtReload).toBeGreaterThan(100);
    const names = results.map((result) => (result as PromiseFulfilledResult<string>).value);
    // Requests sent before the reload finished on the old certificate's connections…
    expect(names.slice(0, 500).every((name) => name === 'client one')).toBe(true);
    // …and every request sent after it went out on a new connection with the new certificate.
    expect(names.slice(500).every((name) => name === 'client two')).toBe(true);
    expect(server.clientNames).toContain('client two');
    // The old connections are closed once drained.
    for (let i = 0; i < 50 && server.openConnections().includes('client one'); i++) await delay(20);
    expect(server.openConnections()).not.toContain('client one');
    expect(server.openConnections()).toContain('client two');
  });
});

describe('credentials from a keyring', () => {
  it('uses the active mtls entry of keyring.active("mtls", env)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mcapi-mtls-keyring-')), 'keyring');
    cleanups.push(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
    await initKeyring(dir);
    await updateKeyring(dir, async (manifest, files) => {
      manifest.keys.push({
        id: 'mtls-1',
        purpose: 'mtls',
        environment: 'sandbox',
        status: 'active',
        createdAt: new Date().toISOString(),
        privateKeyFile: await files.writePrivateKey('mtls-1', pki.client.privateKey),
        certificateFile: await files.writeCertificate('mtls-1', pki.client.certificate),
        publicKeyFingerprint: publicKeyFingerprint(pki.client.certificate),
      });
    });
    const keyring = await openKeyring(dir);
    const server = await startServer(pki);
    cleanups.push(() => server.close());
    const transport = createMtlsTransport({ credentials: keyring.active('mtls', 'sandbox'), ca: pki.ca.cert });
    cleanups.push(() => transport.close());
    const response = await transport.request({ method: 'GET', url: server.url });
    expect(JSON.parse(Buffer.from(response.body).toString())).toMatchObject({ client: 'client one' });
  });
});

describe('ownership', () => {
  it('close() leaves a caller-supplied dispatcher open, and reload() refuses to touch it', async () => {
    const server = await startServer(pki);
    cleanups.push(() => server.close());
    const agent = new Agent({ connect: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key } });
    cleanups.push(() => agent.close());
    const transport = createMtlsTransport({ dispatcher: agent });
    expect((await transport.request({ method: 'GET', url: server.url })).status).toBe(200);
    await expect(transport.reload({ cert: pki.nextClient.cert, key: pki.nextClient.key })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await transport.close();
    const direct = await request(server.url, { dispatcher: agent });
    expect(direct.statusCode).toBe(200);
    await direct.body.dump();
  });

  it('close() closes the transport’s own connections', async () => {
    const server = await startServer(pki);
    cleanups.push(() => server.close());
    const transport = createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.ca.cert });
    await transport.request({ method: 'GET', url: server.url });
    expect(server.openConnections()).toHaveLength(1);
    await transport.close();
    for (let i = 0; i < 50 && server.openConnections().length > 0; i++) await delay(10);
    expect(server.openConnections()).toHaveLength(0);
    expect(transport.close()).toBe(transport.close());
  });
});
