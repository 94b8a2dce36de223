import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FetchLike, type RefreshTokenStore, type StoredRefreshToken, createAuthorizationCodeClient, createFileRefreshTokenStore, createPkce } from '../src/index.js';
import { type Clock, type TestOAuthServer, startTestOAuthServer } from './oauth2-server.js';

const redirectUri = 'https://app.example.com/callback';
const assertionKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
let clock: Clock;
let server: TestOAuthServer;
let dir: string;
beforeEach(async () => {
  clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  server = await startTestOAuthServer({
    clock,
    clients: new Map([['balance-jwt-app', { publicKey: createPublicKey(assertionKey), kid: 'kid-balance' }]]),
    secrets: new Map([['balance-app', 's3cr:et/+']]),
    redirectUri,
  });
  dir = mkdtempSync(join(tmpdir(), 'mcapi-auth-code-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const storePath = () => join(dir, 'tokens', 'refresh-token.json');
const client = (overrides: Partial<Parameters<typeof createAuthorizationCodeClient>[0]> = {}) =>
  createAuthorizationCodeClient({
    tokenEndpoint: server.tokenEndpoint,
    clientId: 'balance-app',
    clientSecret: 's3cr:et/+',
    redirectUri,
    store: { path: storePath() },
    now: () => clock.now,
    ...overrides,
  });

describe('createAuthorizationCodeClient', () => {
  it('exchanges a code with PKCE and stores the refresh token 0600', async () => {
    const pkce = createPkce();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const balances = client();
    const token = await balances.exchangeCode({ code: server.issueCode(pkce.codeChallenge), codeVerifier: pkce.codeVerifier });
    expect(token.expiresAt).toBe(clock.now + 900_000);
    expect(await balances.authorize()).toBe(`Bearer ${token.accessToken}`);

    expect(statSync(storePath()).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(storePath(), 'utf8')) as StoredRefreshToken;
    expect(stored.expiresAt).toBe(clock.now + 90 * 24 * 3600 * 1000);
    expect(readFileSync(storePath(), 'utf8')).not.toContain(token.accessToken);
  });

  it('is refused by the server with a wrong PKCE verifier', async () => {
    const pkce = createPkce();
    await expect(
      client().exchangeCode({ code: server.issueCode(pkce.codeChallenge), codeVerifier: createPkce().codeVerifier }),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH2_TOKEN', message: expect.stringContaining('invalid_grant') });
  });

  it('refreshes the access token before its 15-minute expiry and saves the rotated refresh token', async () => {
    const balances = client();
    const first = await balances.exchangeCode({ code: server.issueCode() });
    const storedBefore = readFileSync(storePath(), 'utf8');
    clock.now += 14 * 60_000 - 1_000; // 61 s left: still cached
    expect(await balances.getAccessToken()).toBe(first.accessToken);
    clock.now += 2_000; // 59 s left: refreshed
    const second = await balances.getAccessToken();
    expect(second).not.toBe(first.accessToken);
    expect(readFileSync(storePath(), 'utf8')).not.toBe(storedBefore);
    expect(server.tokenCalls.map((call) => `${call.grant}:${call.outcome}`)).toEqual(['authorization_code:issued', 'refresh_token:issued']);
  });

  it('a new process picks up the stored refresh token', async () => {
    await client().exchangeCode({ code: server.issueCode() });
    const restarted = client();
    expect(await restarted.getAccessToken()).toEqual(expect.any(String));
    expect(server.tokenCalls.at(-1)).toEqual({ grant: 'refresh_token', outcome: 'issued' });
  });

  it('regression: two processes sharing one refresh-token file never log each other out (#12.13)', async () => {
    await client().exchangeCode({ code: server.issueCode() });
    // Two replicas (separate clients and file stores on one file) whose token requests are slow
    // enough that, unlocked, both would spend the same rotating refresh token.
    const slow: FetchLike = async (input, init) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return globalThis.fetch(input, init);
    };
    const [one, two] = [client({ fetch: slow }), client({ fetch: slow })];
    const tokens = await Promise.all([one.getAccessToken(), two.getAccessToken()]);
    expect(tokens).toEqual([expect.any(String), expect.any(String)]);
    // One after the other, the second with the token the first saved: nobody got invalid_grant.
    expect(server.tokenCalls.filter((call) => call.grant === 'refresh_token').map((call) => call.outcome)).toEqual(['issued', 'issued']);
    expect(existsSync(storePath())).toBe(true);
    expect(existsSync(`${storePath()}.lock`)).toBe(false);
    expect(await client().getAccessToken()).toEqual(expect.any(String));
  });

  it('shares one refresh between concurrent callers', async () => {
    await client().exchangeCode({ code: server.issueCode() });
    const restarted = client();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => restarted.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(server.tokenCalls.filter((call) => call.grant === 'refresh_token')).toHaveLength(1);
  });

  it('says a person must log in again when the refresh token has expired (90 days)', async () => {
    const balances = client();
    await balances.exchangeCode({ code: server.issueCode() });
    clock.now += 91 * 24 * 3600 * 1000;
    await expect(balances.getAccessToken()).rejects.toMatchObject({
      code: 'ERR_OAUTH2_LOGIN_REQUIRED',
      message: expect.stringContaining('log in again'),
    });
    expect(existsSync(storePath())).toBe(false);
    expect(server.tokenCalls.filter((call) => call.grant === 'refresh_token')).toHaveLength(0);
  });

  it('says a person must log in again when the server rejects the refresh token (invalid_grant)', async () => {
    await client().exchangeCode({ code: server.issueCode() });
    server.revokeRefreshTokens();
    await expect(client().getAccessToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED' });
    expect(server.tokenCalls.at(-1)).toEqual({ grant: 'refresh_token', outcome: 'invalid_grant' });
    await expect(client().getAccessToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED', message: expect.stringContaining('No refresh token') });
  });

  it('accepts a custom store and logout clears it', async () => {
    let saved: StoredRefreshToken | undefined;
    const store: RefreshTokenStore = {
      load: async () => saved,
      save: async (token) => {
        saved = token;
      },
      clear: async () => {
        saved = undefined;
      },
    };
    const balances = client({ store });
    await balances.exchangeCode({ code: server.issueCode() });
    expect(saved?.refreshToken).toEqual(expect.any(String));
    await balances.logout();
    expect(saved).toBeUndefined();
    await expect(balances.getAccessToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED' });
  });

  it('authenticates with private_key_jwt instead of a secret', async () => {
    const balances = createAuthorizationCodeClient({
      tokenEndpoint: server.tokenEndpoint,
      clientId: 'balance-jwt-app',
      clientAssertion: { signingKey: assertionKey, kid: 'kid-balance', issuer: server.issuer },
      redirectUri,
      store: { path: storePath() },
      now: () => clock.now,
    });
    await balances.exchangeCode({ code: server.issueCode() });
    clock.now += 15 * 60_000;
    await balances.getAccessToken();
    expect(server.tokenCalls.map((call) => `${call.grant}:${call.outcome}`)).toEqual(['authorization_code:issued', 'refresh_token:issued']);
  });

  it('authenticates with a wrong secret → typed token error', async () => {
    await expect(client({ clientSecret: 'nope' }).exchangeCode({ code: server.issueCode() })).rejects.toMatchObject({
      code: 'ERR_OAUTH2_TOKEN',
      message: expect.stringContaining('invalid_client'),
    });
  });

  it('refuses ambiguous client authentication and a missing store', () => {
    const assertion = { signingKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, kid: 'k', issuer: 'https://issuer' };
    expect(() => client({ clientAssertion: assertion })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => client({ store: {} as RefreshTokenStore })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('store') }));
  });
});

describe('createFileRefreshTokenStore', () => {
  it('round-trips, overwrites atomically and reports a corrupt file', async () => {
    const store = createFileRefreshTokenStore(storePath());
    expect(await store.load()).toBeUndefined();
    await store.save({ refreshToken: 'r1', expiresAt: 1 });
    await store.save({ refreshToken: 'r2', expiresAt: 2 });
    expect(await store.load()).toEqual({ refreshToken: 'r2', expiresAt: 2 });
    expect(statSync(storePath()).mode & 0o777).toBe(0o600);
    writeFileSync(storePath(), '{oops');
    await expect(store.load()).rejects.toMatchObject({ code: 'ERR_OAUTH2_TOKEN' });
    await store.clear();
    await store.clear();
    expect(existsSync(storePath())).toBe(false);
  });
});
