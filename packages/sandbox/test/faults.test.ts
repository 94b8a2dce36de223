import type { Agent } from 'undici';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Identity, decryptWith, encryptFor, issueIdentity, mtlsAgent, send } from './helpers.js';

let sandbox: Sandbox;
let client: Identity;
let responseKey: Identity;
let agent: Agent;

beforeAll(async () => {
  sandbox = await startSandbox({ faults: [{ path: '/loyalty/benefits/cards', status: 429, times: 1 }] });
  [client, responseKey] = await Promise.all([issueIdentity(sandbox, 'mtls'), issueIdentity(sandbox, 'response-decryption')]);
  agent = mtlsAgent(sandbox, client);
});

afterEach(() => sandbox.dashboard.clearFaults());

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

let card = 5291070000001000;
async function assign(path = '/card-segments') {
  card++;
  const token = await encryptFor(sandbox, `{"cardNumber":${card},"segments":[{"code":"DART","effectiveDate":"2023-08-08"}]}`);
  return send(`${sandbox.urls.benefitAllocation}${path}`, { method: 'POST', body: JSON.stringify({ encryptedData: token }), dispatcher: agent });
}

describe('fault injection', () => {
  it('applies faults given at start, for the number of times asked', async () => {
    const first = await send(`${sandbox.urls.benefitAllocation}/cards`, { method: 'PUT', body: '{}', dispatcher: agent });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    const second = await send(`${sandbox.urls.benefitAllocation}/cards`, { method: 'PUT', body: '{}', dispatcher: agent });
    expect(second.status).toBe(400);
  });

  it('answers 503 with Retry-After, only on the matching path', async () => {
    sandbox.dashboard.setFaults([{ path: '/loyalty/benefits/card-segments', status: 503, retryAfterSeconds: 7 }]);
    const hit = await assign();
    expect(hit.status).toBe(503);
    expect(hit.headers['retry-after']).toBe('7');
    expect(hit.json()).toMatchObject({ Errors: { Error: [{ ReasonCode: 'SERVICE_UNAVAILABLE', Recoverable: true }] } });
    expect(sandbox.log().at(-1)).toMatchObject({ status: 503, fault: 'status 503' });
    const other = await send(`${sandbox.urls.benefitAllocation}/card-segments-replacements`, { method: 'PUT', body: '{}', dispatcher: agent });
    expect(other.status).toBe(400);
  });

  it('adds latency', async () => {
    sandbox.dashboard.addFault({ latencyMs: 300 });
    const started = performance.now();
    expect((await assign()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('resets the connection mid-response', async () => {
    sandbox.dashboard.setFaults([{ reset: true, times: 1 }]);
    await expect(assign()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect((await assign()).status).toBe(200);
  });

  it('corrupts the JWE of a success response so the client cannot decrypt it', async () => {
    sandbox.dashboard.setFaults([{ corruptJwe: true, times: 1 }]);
    const response = await assign();
    expect(response.status).toBe(200);
    const { encryptedData } = response.json() as { encryptedData: string };
    expect(encryptedData.split('.')).toHaveLength(5);
    await expect(decryptWith(encryptedData, responseKey.privateKey)).rejects.toMatchObject({ code: 'ERR_JWE_DECRYPTION_FAILED' });
    const clean = (await assign()).json() as { encryptedData: string };
    expect(JSON.parse((await decryptWith(clean.encryptedData, responseKey.privateKey)).text)).toHaveProperty('bundles');
  });

  it('is toggled through the dashboard HTTP API', async () => {
    const faults = `${sandbox.urls.dashboard}/faults`;
    const json = { 'content-type': 'application/json' };
    const put = await request(faults, { method: 'PUT', headers: json, body: JSON.stringify([{ listener: 'benefitAllocation', method: 'post', status: 503 }]) });
    expect(put.statusCode).toBe(200);
    expect(await put.body.json()).toEqual([{ listener: 'benefitAllocation', method: 'POST', status: 503 }]);
    expect((await assign()).status).toBe(503);
    const cleared = await request(faults, { method: 'DELETE' });
    await cleared.body.dump();
    expect(cleared.statusCode).toBe(204);
    expect((await assign()).status).toBe(200);

    const bad = await request(faults, { method: 'POST', headers: json, body: JSON.stringify({ status: 500 }) });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toMatchObject({ error: { code: 'ERR_INVALID_OPTION' } });
  });

  it('refuses invalid fault options at start', async () => {
    await expect(startSandbox({ faults: [{ latencyMs: -1 }] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});
