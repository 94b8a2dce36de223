import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { rawRequest } from './raw-http.js';

// Security regression (issue 12 item 11): a web page the developer visits must not drive the
// dashboard. A text/plain POST (what an HTML form or a no-cors fetch can send) from a foreign
// Origin used to create fault rules, keys and OAuth clients (201), and a DNS-rebound page
// (Host: evil.example) could read what the dashboard answers, client secrets included.

let sandbox: Sandbox;
let port: number;
let csr: string;
const publicKey = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).export({ type: 'spki', format: 'pem' }).toString();

beforeAll(async () => {
  sandbox = await startSandbox();
  port = Number(new URL(sandbox.urls.dashboard).port);
  const { privateKey } = await generateRsaKeyPair(2048);
  csr = createCsr({ privateKey, subject: { CN: 'cross-site' } });
});

afterAll(async () => {
  await sandbox.close();
});

function dashboard(method: string, path: string, headers: Record<string, string>, body = '') {
  const lines = [`${method} /_dashboard${path} HTTP/1.1`, ...Object.entries({ host: `127.0.0.1:${port}`, ...headers }).map(([name, value]) => `${name}: ${value}`)];
  lines.push('connection: close', `content-length: ${Buffer.byteLength(body)}`, '', body);
  return rawRequest({ port }, lines.join('\r\n'));
}

const creations = () => [
  { path: '/faults', body: JSON.stringify({ latencyMs: 5 }) },
  { path: '/certificates', body: JSON.stringify({ csr, purpose: 'mtls', project: 'evil' }) },
  { path: '/signing-keys', body: JSON.stringify({ csr, project: 'evil' }) },
  { path: '/oauth2/clients', body: JSON.stringify({ publicKey, withSecret: true, redirectUris: ['https://evil.example/cb'] }) },
];

const nothingCreated = () => {
  expect(sandbox.dashboard.faults()).toEqual([]);
  expect(sandbox.dashboard.listKeys('evil')).toEqual([]);
  expect(sandbox.oauth2.listClients()).toEqual([]);
};

describe('security: the dashboard refuses cross-site requests', () => {
  it('refuses a text/plain POST from a foreign origin with 415, creating nothing', async () => {
    for (const { path, body } of creations()) {
      const answer = await dashboard('POST', path, { origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' }, body);
      expect(answer.status, path).toBe(403);
      // Without Origin (a non-browser client that forgot the header) it is still not JSON: 415.
      const plain = await dashboard('POST', path, { 'content-type': 'text/plain;charset=UTF-8' }, body);
      expect(plain.status, path).toBe(415);
      expect(plain.json()).toMatchObject({ error: { code: 'ERR_SANDBOX', message: expect.stringContaining('application/json') } });
      const form = await dashboard('POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, body);
      expect(form.status, path).toBe(415);
    }
    nothingCreated();
  });

  it('refuses a JSON request from a foreign or null Origin with 403, creating nothing', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]) {
      for (const { path, body } of creations()) {
        const answer = await dashboard('POST', path, { origin, 'content-type': 'application/json' }, body);
        expect(answer.status, `${origin} ${path}`).toBe(403);
      }
    }
    nothingCreated();
  });

  it('refuses a DNS-rebound request (a Host that is not loopback with this port) with 403, reading nothing', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', '[']) {
      const read = await dashboard('GET', '/oauth2/clients', { host });
      expect(read.status, host).toBe(403);
      expect(read.text).not.toContain('clientId');
      const write = await dashboard('POST', '/oauth2/clients', { host, 'content-type': 'application/json' }, creations()[3]!.body);
      expect(write.status, host).toBe(403);
      expect(write.text).not.toContain('clientSecret');
    }
    nothingCreated();
  });

  it('serves scripts on this machine: loopback Host names with the port, same-origin or no Origin, JSON bodies', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await dashboard('GET', '/', { host })).status, host).toBe(200);
    }
    const created = await dashboard('POST', '/faults', { origin: `http://localhost:${port}`, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ latencyMs: 5 }));
    expect(created.status).toBe(201);
    const registered = await dashboard('POST', '/oauth2/clients', { 'content-type': 'application/json' }, creations()[3]!.body);
    expect(registered.status).toBe(201);
    expect(registered.json()).toHaveProperty('clientSecret');
    // DELETE carries no body; a browser cannot send it cross-origin without a preflight.
    expect((await dashboard('DELETE', '/faults', {})).status).toBe(204);
  });
});
