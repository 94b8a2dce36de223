// Request shaping of createMastercardFetch with undici MockAgent (no network); JWE is real.
import { generateKeyPairSync } from 'node:crypto';
import { decrypt, encrypt, payloadPresets } from '@mcapi/jwe';
import { publicKeyFingerprint } from '@mcapi/keys';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMastercardFetch, type MastercardFetch } from '../src/index.js';

const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
let agent: MockAgent;
let fetch: MastercardFetch;
let signed: string[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  signed = [];
  fetch = createMastercardFetch({
    dispatcher: agent,
    authorizer: async ({ method, url, body }) => {
      signed.push(`${method} ${url} ${body ?? ''}`);
      return { authorization: `Test ${signed.length}` };
    },
    encryption: { encryptionKey: server.publicKey, decryptionKeys: new Map([[publicKeyFingerprint(ours.publicKey), ours.privateKey]]) },
    encryptionRules: [{ path: /\/secure\//, ...payloadPresets.encryptedData }],
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
});
afterEach(async () => {
  await fetch.close();
  await agent.close();
});

describe('createMastercardFetch request shaping', () => {
  it('encrypts matching JSON bodies, signs the encrypted bytes and decrypts the answer', async () => {
    let sent = '';
    agent
      .get('https://api.test')
      .intercept({ path: '/secure/items', method: 'POST' })
      .reply(
        200,
        async (request) => {
          sent = String(request.body);
          return JSON.stringify({ encryptedData: await encrypt('{"ok":true}', { key: ours.publicKey }) });
        },
        { headers: { 'content-type': 'application/json' } },
      );
    const response = await fetch('https://api.test/secure/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pan: '5291070000000000' }),
    });
    expect(await response.json()).toEqual({ ok: true });
    const token = (JSON.parse(sent) as { encryptedData: string }).encryptedData;
    expect(new TextDecoder().decode((await decrypt(token, { keys: server.privateKey })).plaintext)).toBe('{"pan":"5291070000000000"}');
    expect(signed[0]).toBe(`POST https://api.test/secure/items ${sent}`);
  });

  it('leaves other paths plain, returns HTTP errors as responses and 204 with a null body', async () => {
    const pool = agent.get('https://api.test');
    pool.intercept({ path: '/open', method: 'PUT' }).reply(204, '');
    pool.intercept({ path: '/open', method: 'GET' }).reply(404, '{"Errors":{"Error":{"ReasonCode":"RESOURCE_UNKNOWN"}}}');
    const empty = await fetch('https://api.test/open', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(signed[0]).toBe('PUT https://api.test/open {"a":1}');
    const missing = await fetch('https://api.test/open');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('RESOURCE_UNKNOWN');
  });

  it('retries a 503 on GET with a new signature per attempt', async () => {
    const pool = agent.get('https://api.test');
    pool.intercept({ path: '/open', method: 'GET' }).reply(503, '', { headers: { 'retry-after': '0' } });
    pool.intercept({ path: '/open', method: 'GET' }).reply(200, '{"n":1}');
    const response = await fetch(new Request('https://api.test/open'));
    expect(await response.json()).toEqual({ n: 1 });
    expect(signed).toHaveLength(2);
  });
});
