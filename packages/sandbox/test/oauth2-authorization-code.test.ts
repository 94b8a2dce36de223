import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { type RefreshTokenStore, type StoredRefreshToken, createAuthorizationCodeClient, createPkce } from '@mcapi/auth';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Clock, call, fetchVia } from './oauth2-helpers.js';

const clock: Clock = { now: Date.now() };
const redirectUri = 'https://app.example/callback';
let sandbox: Sandbox;
let agent: Agent;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock.now });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const registered = sandbox.oauth2.registerClient({ publicKey: createPublicKey(key), redirectUris: [redirectUri], withSecret: true, project: 'balances' });
  clientId = registered.clientId;
  clientSecret = registered.clientSecret!;
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

function memoryStore(): RefreshTokenStore & { saved: StoredRefreshToken[]; current: StoredRefreshToken | undefined } {
  const store = {
    saved: [] as StoredRefreshToken[],
    current: undefined as StoredRefreshToken | undefined,
    load: async () => store.current,
    save: async (token: StoredRefreshToken) => {
      store.saved.push(token);
      store.current = token;
    },
    clear: async () => {
      store.current = undefined;
    },
  };
  return store;
}

const codeClient = (store: RefreshTokenStore) =>
  createAuthorizationCodeClient({
    tokenEndpoint: sandbox.oauth2.tokenEndpoint,
    clientId,
    clientSecret,
    redirectUri,
    store,
    fetch: fetchVia(agent),
    now: () => clock.now,
  });

/** Follows the sandbox login: GET /oauth2/authorize → 302 to the redirect URI with the code. */
async function login(codeChallenge: string, state = 'xyz') {
  const authorize = new URL(sandbox.oauth2.authorizationEndpoint);
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: codeChallenge, code_challenge_method: 'S256', state })) {
    authorize.searchParams.set(name, value);
  }
  const response = await call(agent, authorize.toString());
  expect(response.status).toBe(302);
  return new URL(response.headers.location as string);
}

const balances = () => `${sandbox.oauth2.url}/send/partners/SANDBOX_1234567/crossborder/accounts`;

describe('sandbox authorization code flow (Cross-Border balances)', () => {
  it('logs in without a person, exchanges the code with PKCE, and calls the balance API with the Bearer token', async () => {
    const pkce = createPkce();
    const redirect = await login(pkce.codeChallenge);
    expect(redirect.origin + redirect.pathname).toBe(redirectUri);
    expect(redirect.searchParams.get('state')).toBe('xyz');
    expect(redirect.searchParams.get('iss')).toBe(sandbox.oauth2.issuer);
    const store = memoryStore();
    const balancesClient = codeClient(store);
    const exchanged = await balancesClient.exchangeCode({ code: redirect.searchParams.get('code')!, codeVerifier: pkce.codeVerifier });
    expect(exchanged.expiresAt).toBe(clock.now + 15 * 60_000);
    expect(store.current?.expiresAt).toBe(clock.now + 90 * 24 * 3600_000);

    const response = await call(agent, balances(), { headers: { authorization: await balancesClient.authorize() } });
    expect(response.status).toBe(200);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'oauth2-bearer', project: 'balances' });
    // The Bearer token is for the balance APIs only.
    const payment = await call(agent, `${sandbox.oauth2.url}/send/v1/partners/SANDBOX_1234567/crossborder/pay_1`, {
      headers: { authorization: await balancesClient.authorize() },
    });
    expect(payment.status).toBe(401);
  });

  it('refuses a wrong PKCE verifier, a reused code and an unregistered redirect URI', async () => {
    const pkce = createPkce();
    const code = (await login(pkce.codeChallenge)).searchParams.get('code')!;
    await expect(codeClient(memoryStore()).exchangeCode({ code, codeVerifier: createPkce().codeVerifier })).rejects.toMatchObject({
      code: 'ERR_OAUTH2_TOKEN',
      message: expect.stringContaining('invalid_grant'),
    });
    // The failed attempt used the code up (single use).
    await expect(codeClient(memoryStore()).exchangeCode({ code, codeVerifier: pkce.codeVerifier })).rejects.toMatchObject({ code: 'ERR_OAUTH2_TOKEN' });
    const noPkce = await call(agent, `${sandbox.oauth2.authorizationEndpoint}?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}`);
    expect(new URL(noPkce.headers.location as string).searchParams.get('error')).toBe('invalid_request');
    const foreign = await call(agent, `${sandbox.oauth2.authorizationEndpoint}?response_type=code&client_id=${clientId}&redirect_uri=https%3A%2F%2Fevil.example%2F`);
    expect(foreign.status).toBe(400);
    expect(foreign.headers.location).toBeUndefined();
  });

  it('refreshes after 15 minutes with rotation; a rotated-away refresh token revokes the login', async () => {
    const pkce = createPkce();
    const store = memoryStore();
    const balancesClient = codeClient(store);
    await balancesClient.exchangeCode({ code: (await login(pkce.codeChallenge)).searchParams.get('code')!, codeVerifier: pkce.codeVerifier });
    const first = await balancesClient.getAccessToken();
    const firstRefresh = store.current!.refreshToken;
    clock.now += 15 * 60_000;
    const second = await balancesClient.getAccessToken();
    expect(second).not.toBe(first);
    expect(store.current!.refreshToken).not.toBe(firstRefresh);
    expect((await call(agent, balances(), { headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
    expect((await call(agent, balances(), { headers: { authorization: `Bearer ${first}` } })).status).toBe(401);

    // Replaying the old refresh token: invalid_grant, and the rotated one dies with it (RFC 9700 §4.14.2).
    const form = (refreshToken: string) =>
      call(agent, sandbox.oauth2.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      });
    expect((await form(firstRefresh)).json).toMatchObject({ error: 'invalid_grant' });
    expect((await form(store.current!.refreshToken)).json).toMatchObject({ error: 'invalid_grant' });
  });

  it('an expired refresh token gets invalid_grant, which the client reports as ERR_OAUTH2_LOGIN_REQUIRED', async () => {
    const pkce = createPkce();
    const store = memoryStore();
    const balancesClient = codeClient(store);
    await balancesClient.exchangeCode({ code: (await login(pkce.codeChallenge)).searchParams.get('code')!, codeVerifier: pkce.codeVerifier });
    // The client believes its token lives longer than it does: the server has the last word.
    store.current = { ...store.current!, expiresAt: clock.now + 365 * 24 * 3600_000 };
    const before = sandbox.oauth2.tokenLog().length;
    clock.now += 90 * 24 * 3600_000 + 1_000;
    await expect(balancesClient.getAccessToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED' });
    expect(sandbox.oauth2.tokenLog().slice(before).map((entry) => entry.outcome)).toEqual([
      'invalid_grant: The refresh token has expired (they live 90 days); the user must log in again.',
    ]);
    expect(store.current).toBeUndefined();
  });

  it('a revoked refresh token → ERR_OAUTH2_LOGIN_REQUIRED', async () => {
    const pkce = createPkce();
    const store = memoryStore();
    const balancesClient = codeClient(store);
    await balancesClient.exchangeCode({ code: (await login(pkce.codeChallenge)).searchParams.get('code')!, codeVerifier: pkce.codeVerifier });
    expect(sandbox.oauth2.revokeRefreshTokens(clientId)).toBeGreaterThan(0);
    clock.now += 16 * 60_000;
    await expect(balancesClient.authorize()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED' });
  });
});

describe('dashboard OAuth 2.0 endpoints', () => {
  it('registers a client by HTTP (PEM public key) that can then get a DPoP token, lists and removes it', async () => {
    const { createFapi2Client } = await import('@mcapi/auth');
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const post = await fetch(`${sandbox.urls.dashboard}/oauth2/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'demo-client', publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }) }),
    });
    expect(post.status).toBe(201);
    const registered = (await post.json()) as { clientId: string; kid: string; algorithm: string };
    expect(registered).toMatchObject({ clientId: 'demo-client', algorithm: 'ES256' });
    const fapi = createFapi2Client({
      clientId: registered.clientId,
      kid: registered.kid,
      signingKey: key,
      issuer: sandbox.oauth2.issuer,
      tokenEndpoint: sandbox.oauth2.tokenEndpoint,
      fetch: fetchVia(agent),
      now: () => clock.now,
    });
    expect((await fapi.getToken()).tokenType).toBe('DPoP');
    const info = (await (await fetch(`${sandbox.urls.dashboard}/oauth2`)).json()) as { tokenEndpoint: string };
    expect(info.tokenEndpoint).toBe(sandbox.oauth2.tokenEndpoint);
    const list = (await (await fetch(`${sandbox.urls.dashboard}/oauth2/clients`)).json()) as { clientId: string }[];
    expect(list.map((client) => client.clientId)).toContain('demo-client');
    expect(JSON.stringify(list)).not.toContain(clientSecret);
    const bad = await fetch(`${sandbox.urls.dashboard}/oauth2/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: 'nope' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_OPTION');
    expect((await fetch(`${sandbox.urls.dashboard}/oauth2/clients/demo-client`, { method: 'DELETE' })).status).toBe(204);
    // Tokens of a removed client stop working.
    expect((await fapi.fetch(balances())).status).toBe(401);
    // The rest of the dashboard still answers.
    expect((await fetch(`${sandbox.urls.dashboard}/faults`)).status).toBe(200);
  });
});
