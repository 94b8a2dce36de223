import { type KeyObject, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createFapi2Client } from '@mcapi/auth';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { encryptFor } from './helpers.js';
import { type Clock, call, fetchVia, makeProof } from './oauth2-helpers.js';

const clock: Clock = { now: Date.now() };
let sandbox: Sandbox;
let agent: Agent;
let dpopKey: KeyObject;
let accessToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock.now });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const registered = sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), project: 'oauth2-project' });
  const fapi = createFapi2Client({
    clientId: registered.clientId,
    kid: registered.kid,
    signingKey,
    dpopKey,
    issuer: sandbox.oauth2.issuer,
    tokenEndpoint: sandbox.oauth2.tokenEndpoint,
    fetch: fetchVia(agent),
    now: () => clock.now,
  });
  ({ accessToken } = await fapi.getToken());
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

const seconds = () => Math.floor(clock.now / 1000);
const accountsPath = '/send/partners/SANDBOX_1234567/crossborder/accounts';
const url = (path = accountsPath, query = '?include_balance=true') => `${sandbox.oauth2.url}${path}${query}`;
const dpopCall = async (proofClaims: Partial<Parameters<typeof makeProof>[1]> = {}, target = url(), token = accessToken, key = dpopKey) => {
  const proof = await makeProof(key, { htm: 'GET', htu: target, iat: seconds(), accessToken: token, ...proofClaims });
  return { proof, response: await call(agent, target, { headers: { authorization: `DPoP ${token}`, dpop: proof } }) };
};

describe('DPoP-protected Cross-Border and Benefit Allocation routes', () => {
  it('serves a call with a valid token and proof (query ignored by htu), as the token client project', async () => {
    const { response } = await dpopCall();
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json)).toContain('acct_1001');
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'oauth2-dpop', project: 'oauth2-project', status: 200 });
    expect(sandbox.log().at(-1)!.steps.slice(0, 5).map((step) => [step.check, step.result])).toEqual([
      ['access token known and DPoP-bound', 'passed'],
      ['access token unexpired', 'passed'],
      ['proof valid (htm, htu, ath, iat, nonce)', 'passed'],
      ['proof signed by the token key', 'passed'],
      ['proof jti fresh', 'passed'],
    ]);
  });

  it('rejects a wrong ath', async () => {
    const { response } = await dpopCall({ ath: 'A'.repeat(43) });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect(response.json).toMatchObject({ Errors: { Error: [{ ReasonCode: 'AUTHENTICATION_FAILED' }] } });
    expect(sandbox.log().at(-1)?.auth).toBe('failed: oauth2: proof ath does not match the access token');
    expect(sandbox.log().at(-1)!.steps.slice(1, 4)).toEqual([
      { check: 'access token unexpired', result: 'passed' },
      { check: 'proof valid (htm, htu, ath, iat, nonce)', result: 'failed', detail: 'proof ath does not match the access token' },
      { check: 'proof signed by the token key', result: 'skipped' },
    ]);
  });

  it('rejects a replayed jti', async () => {
    const { proof, response } = await dpopCall();
    expect(response.status).toBe(200);
    const replay = await call(agent, url(), { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
    expect(replay.status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toBe('failed: oauth2: proof jti replayed');
  });

  it('rejects a proof made for another URL or method', async () => {
    const other = await dpopCall({ htu: url(`${accountsPath}/acct_1001`, '') });
    expect(other.response.status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toBe('failed: oauth2: proof htu does not match the request URL');
    const method = await dpopCall({ htm: 'POST' });
    expect(method.response.status).toBe(401);
    const port = await dpopCall({ htu: url().replace(/:\d+\//, ':1/') });
    expect(port.response.status).toBe(401);
  });

  it('rejects an expired proof, a proof from the future and a proof signed by another key', async () => {
    expect((await dpopCall({ iat: seconds() - 301 })).response.status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toBe('failed: oauth2: proof iat is more than 5 minutes old');
    expect((await dpopCall({ iat: seconds() + 120 })).response.status).toBe(401);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreign = await dpopCall({}, url(), accessToken, stranger);
    expect(foreign.response.status).toBe(401);
    expect(foreign.response.headers['www-authenticate']).toMatch(/^DPoP error="invalid_token"/);
  });

  it('asks for a fresh nonce when a proof carries a stale one', async () => {
    const { response } = await dpopCall({ nonce: 'not-a-nonce-the-sandbox-gave' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^DPoP error="use_dpop_nonce"/);
    const nonce = response.headers['dpop-nonce'] as string;
    expect((await dpopCall({ nonce })).response.status).toBe(200);
  });

  it('accepts the nonce a client got with its token for as long as the token is cached (pipeline clients cannot retry)', async () => {
    const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const registered = sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey) });
    const fapi = createFapi2Client({
      clientId: registered.clientId,
      kid: registered.kid,
      signingKey,
      issuer: sandbox.oauth2.issuer,
      tokenEndpoint: sandbox.oauth2.tokenEndpoint,
      fetch: fetchVia(agent),
      now: () => clock.now,
    });
    const saved = clock.now;
    try {
      // authorize() only: the nonce comes from the token response, never from a resource retry.
      const send = async () => {
        const headers = await fapi.authorize({ method: 'GET', url: url() });
        return call(agent, url(), { headers });
      };
      expect((await send()).status).toBe(200);
      clock.now += 13 * 60_000;
      expect((await send()).status).toBe(200);
      // Two rotations later the remembered nonce is stale, but the new token brings a fresh one.
      clock.now += 21 * 60_000;
      expect((await send()).status).toBe(200);
    } finally {
      clock.now = saved;
    }
  });

  it('rejects an unknown token, a DPoP token sent as Bearer, and a call without credentials', async () => {
    expect((await dpopCall({}, url(), 'unknown-token')).response.status).toBe(401);
    const bearer = await call(agent, url(), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(bearer.status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toBe('failed: oauth2: bound token sent as Bearer');
    expect(sandbox.log().at(-1)!.steps.slice(0, 3).map((step) => [step.check, step.result])).toEqual([
      ['access token known', 'passed'],
      ['token not DPoP-bound', 'failed'],
      ['balance API', 'skipped'],
    ]);
    const none = await call(agent, url());
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('DPoP algs="PS256 ES256"');
  });

  it('rejects the token once it has expired (15 minutes)', async () => {
    const saved = clock.now;
    clock.now += 15 * 60_000;
    const { response } = await dpopCall();
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/invalid_token/);
    expect(sandbox.log().at(-1)!.steps.slice(0, 3).map((step) => [step.check, step.result])).toEqual([
      ['access token known and DPoP-bound', 'passed'],
      ['access token unexpired', 'failed'],
      ['proof valid (htm, htu, ath, iat, nonce)', 'skipped'],
    ]);
    clock.now = saved;
  });

  it('protects Benefit Allocation with DPoP too (JWE body, no client certificate)', async () => {
    const target = `${sandbox.oauth2.url}/loyalty/benefits/card-segments`;
    const body = JSON.stringify({
      encryptedData: await encryptFor(sandbox, '{"cardNumber":5291070000000012,"segments":[{"code":"DART","effectiveDate":"2026-11-25"}]}'),
    });
    const proof = await makeProof(dpopKey, { htm: 'POST', htu: target, iat: seconds(), accessToken });
    const ok = await call(agent, target, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `DPoP ${accessToken}`, dpop: proof } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.json)).toContain('PC4657');
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', auth: 'oauth2-dpop', decryption: 'encrypted' });
    const refused = await call(agent, target, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ Errors: { Error: [{ ReasonCode: 'UNAUTHORIZED' }] } });
  });
});
