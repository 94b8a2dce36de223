import { type KeyObject, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint } from '@mcapi/keys';
import { type JWK, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessTokenHash, createAuthorizationCodeClient, createFapi2Client } from '../src/index.js';
import { type Clock, type TestOAuthServer, startTestOAuthServer } from './oauth2-server.js';

let rsaKey: KeyObject;
let ecKey: KeyObject;
beforeAll(() => {
  rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
});

let clock: Clock;
let server: TestOAuthServer;
beforeEach(async () => {
  clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  server = await startTestOAuthServer({
    clock,
    clients: new Map([
      ['client-rsa', { publicKey: createPublicKey(rsaKey), kid: 'kid-rsa' }],
      ['client-ec', { publicKey: createPublicKey(ecKey), kid: 'kid-ec' }],
    ]),
  });
});
afterEach(() => server.close());

const client = (overrides: Partial<Parameters<typeof createFapi2Client>[0]> = {}) =>
  createFapi2Client({
    clientId: 'client-rsa',
    kid: 'kid-rsa',
    signingKey: rsaKey,
    tokenEndpoint: server.tokenEndpoint,
    issuer: server.issuer,
    scopes: ['payments', 'balances'],
    now: () => clock.now,
    ...overrides,
  });

describe('createFapi2Client', () => {
  it('answers the nonce challenge and gets a DPoP token (PS256 assertion)', async () => {
    const token = await client().getToken();
    expect(token).toMatchObject({ tokenType: 'DPoP', expiresAt: clock.now + 900_000, scopes: ['payments', 'balances'] });
    expect(server.tokenCalls.map((call) => call.outcome)).toEqual(['use_dpop_nonce', 'issued']);
  });

  it('works with an ES256 assertion and a given DPoP key', async () => {
    const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const fapi = client({ clientId: 'client-ec', kid: 'kid-ec', signingKey: ecKey, dpopKey });
    expect(fapi.dpopThumbprint).toBe(jwkThumbprint(dpopKey));
    await fapi.getToken();
    expect(server.tokenCalls.at(-1)?.outcome).toBe('issued');
  });

  it('caches the token and reuses the remembered nonce', async () => {
    const fapi = client();
    const first = await fapi.getToken();
    clock.now += 600_000;
    expect(await fapi.getToken()).toBe(first);
    expect(await fapi.getToken(['balances', 'payments', 'payments'])).toBe(first);
    expect(server.tokenCalls).toHaveLength(2);
    // Another scope set is another cache entry; the nonce is already known: one call.
    await fapi.getToken(['payments']);
    expect(server.tokenCalls.map((call) => call.outcome)).toEqual(['use_dpop_nonce', 'issued', 'issued']);
  });

  it('refreshes 60 s before expiry (fake clock)', async () => {
    const fapi = client();
    const first = await fapi.getToken();
    clock.now = first.expiresAt - 61_000;
    expect(await fapi.getToken()).toBe(first);
    clock.now = first.expiresAt - 59_000;
    const second = await fapi.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(server.tokenCalls.filter((call) => call.outcome === 'issued')).toHaveLength(2);
  });

  it('shares one token request between 50 concurrent callers', async () => {
    const fapi = client();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => fapi.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(server.tokenCalls.filter((call) => call.grant === 'client_credentials')).toHaveLength(2); // challenge + issue
  });

  it('retries a nonce rotated by the token server once', async () => {
    const fapi = client();
    await fapi.getToken(['a']);
    server.rotateNonce();
    await fapi.getToken(['b']);
    expect(server.tokenCalls.map((call) => call.outcome)).toEqual(['use_dpop_nonce', 'issued', 'use_dpop_nonce', 'issued']);
  });

  it('calls a resource with a DPoP-bound token, answering its nonce challenge', async () => {
    const fapi = client();
    const response = await fapi.fetch(`${server.origin}/accounts/1?x=1#top`.replace('#top', ''), { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, query: '?x=1' });
    expect(server.resourceCalls).toEqual(['use_dpop_nonce', 'ok']);
    // The next call already carries the nonce.
    expect((await fapi.fetch(`${server.origin}/accounts/2`)).status).toBe(200);
    expect(server.resourceCalls).toEqual(['use_dpop_nonce', 'ok', 'ok']);
  });

  it('makes DPoP proofs that jose verifies: typ, jwk thumbprint, htm, htu without query, ath, nonce', async () => {
    const fapi = client();
    const token = await fapi.getToken();
    const { authorization, dpop } = await fapi.authorize({ method: 'get', url: 'https://api.example.com/path/x?q=1#f' });
    expect(authorization).toBe(`DPoP ${token.accessToken}`);
    const header = decodeProtectedHeader(dpop);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(Object.keys(header.jwk!)).not.toContain('d');
    const { payload } = await jwtVerify(dpop, await importJWK(header.jwk as JWK, 'ES256'), { typ: 'dpop+jwt', currentDate: new Date(clock.now) });
    expect(await calculateJwkThumbprint(header.jwk as JWK)).toBe(fapi.dpopThumbprint);
    expect(payload).toMatchObject({ htm: 'GET', htu: 'https://api.example.com/path/x', iat: clock.now / 1000, ath: accessTokenHash(token.accessToken) });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('signs a client assertion with the FAPI 2.0 claims (checked with jose)', async () => {
    const seen: string[] = [];
    const fapi = client({
      fetch: async (input, init) => {
        seen.push(new URLSearchParams(String(init?.body)).get('client_assertion') ?? '');
        return globalThis.fetch(input, init);
      },
    });
    await fapi.getToken();
    const assertion = seen.at(-1)!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'PS256', kid: 'kid-rsa' });
    const { payload } = await jwtVerify(assertion, createPublicKey(rsaKey), {
      issuer: 'client-rsa',
      subject: 'client-rsa',
      audience: server.issuer,
      currentDate: new Date(clock.now),
    });
    expect(payload.exp! - payload.iat!).toBe(90);
    expect(payload.nbf).toBe(payload.iat);
    expect(new Set(seen).size).toBe(seen.length);
    expect(decodeJwt(assertion).jti).toEqual(expect.any(String));
  });

  it('is refused, with a typed error, when the server rejects the client', async () => {
    const fapi = client({ kid: 'kid-unknown' });
    await expect(fapi.getToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_TOKEN', message: expect.stringContaining('invalid_client') });
  });

  it('the resource server rejects a proof with a wrong ath, a replayed jti and a proof for another URL', async () => {
    const fapi = client();
    await fapi.fetch(`${server.origin}/warm-up`); // learn the resource nonce
    const url = `${server.origin}/accounts/1`;
    const good = await fapi.authorize({ method: 'GET', url });
    const other = await fapi.getToken(['other']);
    const wrongAth = await fapi.authorize({ method: 'GET', url, scopes: ['other'] });
    const call = (authorization: string, dpop: string, target = url) => globalThis.fetch(target, { headers: { authorization, dpop } });

    expect((await call(good.authorization, wrongAth.dpop)).status).toBe(401); // ath of another token
    expect((await call(good.authorization, good.dpop, `${server.origin}/accounts/2`)).status).toBe(401); // htu
    expect((await call(good.authorization, good.dpop)).status).toBe(200);
    expect((await call(good.authorization, good.dpop)).status).toBe(401); // replayed jti
    expect(other.accessToken).not.toBe(good.authorization.slice(5));
    expect(server.resourceCalls.slice(-4)).toEqual([
      'invalid_dpop_proof: bad ath',
      expect.stringMatching(/^invalid_dpop_proof: htu/),
      'ok',
      'invalid_dpop_proof: replayed DPoP jti',
    ]);
  });

  it('an expired assertion is rejected by the server', async () => {
    // The client's clock runs 2 minutes behind: its 90-second assertion is already expired for the
    // server, while the DPoP proof is still within the server's 5-minute proof window.
    const fapi = client({ now: () => clock.now - 120_000 });
    await expect(fapi.getToken()).rejects.toMatchObject({ code: 'ERR_OAUTH2_TOKEN', message: expect.stringContaining('invalid_client') });
    expect(server.tokenCalls.at(-1)?.outcome).toMatch(/^invalid_client: .*"exp" claim/);
  });

  it('regression: refuses RSA-PSS KeyObjects up front with ERR_KEY_UNSUPPORTED, not a raw Node error mid-request (#12.13)', async () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    for (const make of [() => client({ signingKey: pss }), () => client({ dpopKey: pss })]) {
      expect(make).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED', message: expect.stringContaining('RSA-PSS') }));
    }
    expect(() =>
      createAuthorizationCodeClient({
        tokenEndpoint: server.tokenEndpoint,
        clientId: 'client-rsa',
        clientAssertion: { signingKey: pss, kid: 'kid-rsa', issuer: server.issuer },
        redirectUri: 'https://app.example.com/callback',
        store: { path: '/nonexistent/refresh-token.json' },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
  });

  it('refuses keys below FAPI 2.0 sizes and other curves', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(() => client({ signingKey: small })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED', message: expect.stringContaining('2048') }));
    expect(() => client({ dpopKey: p384 })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED', message: expect.stringContaining('dpopKey') }));
    expect(() => client({ tokenEndpoint: 'http://auth.example.com/token' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => client({ clientId: '' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('clientId') }));
  });
});
