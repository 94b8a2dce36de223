import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createMemoryNonceStore, createOAuth1Signer } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { firstEnvelopeError, send } from './helpers.js';
import { type Clock, call, clientCredentialsForm, makeAssertion, makeProof } from './oauth2-helpers.js';

// Security regression (issue 12 item 8): replay caches must never forget a one-time value while
// a request carrying it could still be accepted. A small store makes "full" reachable: flooding
// it must refuse the flood (503), not re-open a captured request; and a DPoP proof's jti is
// recorded only once the client is authenticated.

const clock: Clock = { now: Date.now() };
let sandbox: Sandbox;
let agent: Agent;
let consumerKey: string;
let signingKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock.now, replayStore: createMemoryNonceStore({ maxEntries: 3, now: () => clock.now }) });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ({ privateKey: signingKey } = await generateRsaKeyPair(2048));
  consumerKey = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey: signingKey, subject: { CN: 'replay' } }) }).consumerKey;
  sandbox.oauth2.registerClient({ clientId: 'replay-client', kid: 'replay-kid', publicKey: createPublicKey(ecKey) });
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

const accountsPath = '/send/partners/SANDBOX_1234567/crossborder/accounts';

async function signedGet(path: string): Promise<string> {
  const signer = createOAuth1Signer({ consumerKey, signingKey, now: () => clock.now });
  return signer.authorize({ method: 'GET', url: `${sandbox.urls.crossBorder}${path}` });
}

describe('security: replay after flooding', () => {
  it('OAuth 1.0a: a flood fills the store and is refused with 503; the captured request stays a replay', async () => {
    const captured = await signedGet(accountsPath);
    const first = await send(`${sandbox.urls.crossBorder}${accountsPath}`, { headers: { authorization: captured }, dispatcher: agent });
    expect(first.status).toBe(200);

    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      const flood = await send(`${sandbox.urls.crossBorder}${accountsPath}?n=${index}`, {
        headers: { authorization: await signedGet(`${accountsPath}?n=${index}`) },
        dispatcher: agent,
      });
      statuses.push(flood.status);
      if (flood.status === 503) {
        expect(flood.headers['retry-after']).toBe('1');
        expect(firstEnvelopeError(flood.json())).toMatchObject({ Source: 'Gateway', ReasonCode: 'SYSTEM_ERROR' });
      }
    }
    expect(statuses).toEqual([200, 200, 503, 503]);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'failed: replay store full', status: 503 });

    const replay = await send(`${sandbox.urls.crossBorder}${accountsPath}`, { headers: { authorization: captured }, dispatcher: agent });
    expect(replay.status).toBe(401);
    expect(firstEnvelopeError(replay.json())).toMatchObject({ Source: 'OAuth.Nonce', ReasonCode: 'AUTHENTICATION_FAILED' });

    // Once the OAuth 1.0a window (300 s) has passed, the store has room again.
    clock.now += 301_000;
    const later = await send(`${sandbox.urls.crossBorder}${accountsPath}`, { headers: { authorization: await signedGet(accountsPath) }, dispatcher: agent });
    expect(later.status).toBe(200);
  });

  it('DPoP: a proof sent with a failing client assertion is not recorded, so the client can still use it', async () => {
    clock.now += 400_000; // a store emptied of the previous test's values
    const seconds = () => Math.floor(clock.now / 1000);
    const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const probe = await call(agent, sandbox.oauth2.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds() }) },
      body: clientCredentialsForm('x'),
    });
    expect(probe.json?.error).toBe('use_dpop_nonce');
    const proof = await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds(), nonce: probe.headers['dpop-nonce'] as string });
    const assertion = (audience: string) => makeAssertion(ecKey, { clientId: 'replay-client', kid: 'replay-kid', audience, iat: seconds() });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', dpop: proof };

    const stranger = await call(agent, sandbox.oauth2.tokenEndpoint, { method: 'POST', headers, body: clientCredentialsForm(await assertion('https://elsewhere.example')) });
    expect(stranger.status).toBe(401);
    expect(stranger.json?.error).toBe('invalid_client');

    const genuine = await call(agent, sandbox.oauth2.tokenEndpoint, { method: 'POST', headers, body: clientCredentialsForm(await assertion(sandbox.oauth2.issuer)) });
    expect(genuine.status).toBe(200);
    // Recorded now: the same proof again is a replay.
    const again = await call(agent, sandbox.oauth2.tokenEndpoint, { method: 'POST', headers, body: clientCredentialsForm(await assertion(sandbox.oauth2.issuer)) });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ error: 'invalid_dpop_proof', error_description: 'proof jti replayed' });
  });

  it('token endpoint: a full store refuses with 503 temporarily_unavailable instead of forgetting a jti', async () => {
    clock.now += 400_000;
    const seconds = () => Math.floor(clock.now / 1000);
    const statuses: Array<[number, unknown]> = [];
    // Each successful call records two values (assertion jti + proof jti): the second call fills the store.
    for (let index = 0; index < 2; index++) {
      const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const probe = await call(agent, sandbox.oauth2.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds() }) },
        body: clientCredentialsForm('x'),
      });
      const proof = await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds(), nonce: probe.headers['dpop-nonce'] as string });
      const assertion = await makeAssertion(ecKey, { clientId: 'replay-client', kid: 'replay-kid', audience: sandbox.oauth2.issuer, iat: seconds() });
      const response = await call(agent, sandbox.oauth2.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
        body: clientCredentialsForm(assertion),
      });
      statuses.push([response.status, response.json?.error]);
      if (response.status === 503) expect(response.headers['retry-after']).toBe('1');
    }
    expect(statuses).toEqual([
      [200, undefined],
      [503, 'temporarily_unavailable'],
    ]);
  });
});
