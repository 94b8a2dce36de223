import { type KeyObject, createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint } from '@mcapi/keys';
import { createCertificateAuthority } from '@mcapi/keytool';
import { accessTokenHash, createFapi2Client, dpopTargetUri } from '@mcapi/auth';
import { EmbeddedJWK, type JSONWebKeySet, calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Clock, call, clientCredentialsForm, fetchVia, makeAssertion, makeProof } from './oauth2-helpers.js';

const clock: Clock = { now: Date.now() };
let sandbox: Sandbox;
let agent: Agent;
let ecKey: KeyObject;
let rsaKey: KeyObject;
type Seen = { url: string; headers: Headers; body: string | undefined };

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock.now });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  sandbox.oauth2.registerClient({ clientId: 'fapi-ec', kid: 'kid-ec', publicKey: createPublicKey(ecKey) });
  sandbox.oauth2.registerClient({ clientId: 'fapi-rsa', kid: 'kid-rsa', publicKey: createPublicKey(rsaKey).export({ type: 'spki', format: 'pem' }).toString() });
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

const balances = () => `${sandbox.oauth2.url}/send/partners/SANDBOX_1234567/crossborder/accounts?include_balance=true`;
const client = (seen?: Seen[], overrides: Partial<Parameters<typeof createFapi2Client>[0]> = {}) =>
  createFapi2Client({
    clientId: 'fapi-ec',
    kid: 'kid-ec',
    signingKey: ecKey,
    issuer: sandbox.oauth2.issuer,
    tokenEndpoint: sandbox.oauth2.tokenEndpoint,
    scopes: ['payments'],
    fetch: fetchVia(agent, seen),
    now: () => clock.now,
    ...overrides,
  });
const outcomesSince = (index: number) => sandbox.oauth2.tokenLog().slice(index).map((entry) => entry.outcome.split(':')[0]);

describe('sandbox token endpoint (FAPI 2.0 client credentials)', () => {
  it('demands a DPoP nonce first, then issues a 15-minute DPoP token; proofs and assertion pass jose verification', async () => {
    const seen: Seen[] = [];
    const fapi = client(seen);
    const before = sandbox.oauth2.tokenLog().length;
    const token = await fapi.getToken();
    expect(outcomesSince(before)).toEqual(['use_dpop_nonce', 'issued']);
    expect(token).toMatchObject({ tokenType: 'DPoP', expiresAt: clock.now + 15 * 60_000, scopes: ['payments'] });

    const tokenCalls = seen.filter((entry) => entry.url === sandbox.oauth2.tokenEndpoint);
    expect(tokenCalls).toHaveLength(2);
    const proofs = await Promise.all(
      tokenCalls.map(async ({ headers }) => {
        const proof = headers.get('dpop')!;
        const verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate: new Date(clock.now) });
        const jwk = verified.protectedHeader.jwk!;
        expect(jwk).not.toHaveProperty('d');
        expect(await calculateJwkThumbprint(jwk)).toBe(fapi.dpopThumbprint);
        return verified.payload;
      }),
    );
    expect(proofs[0]).toMatchObject({ htm: 'POST', htu: sandbox.oauth2.tokenEndpoint });
    expect(proofs[0]).not.toHaveProperty('nonce');
    expect(proofs[1]!.nonce).toEqual(expect.any(String));
    expect(proofs[0]!.jti).not.toBe(proofs[1]!.jti);

    const form = new URLSearchParams(tokenCalls[1]!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    const assertion = form.get('client_assertion')!;
    const { payload, protectedHeader } = await jwtVerify(assertion, createPublicKey(ecKey), {
      algorithms: ['ES256'],
      issuer: 'fapi-ec',
      subject: 'fapi-ec',
      audience: sandbox.oauth2.issuer,
      currentDate: new Date(clock.now),
      requiredClaims: ['jti', 'iat', 'nbf', 'exp'],
    });
    expect(protectedHeader.kid).toBe('kid-ec');
    expect(payload.exp! - payload.iat!).toBe(90);

    // The access token is a JWT (RFC 9068) bound to the DPoP key: cnf.jkt = the key's thumbprint.
    const jwks = await call(agent, `${sandbox.oauth2.url}/oauth2/jwks`);
    const accessToken = await jwtVerify(token.accessToken, createLocalJWKSet(jwks.json as unknown as JSONWebKeySet), {
      typ: 'at+jwt',
      issuer: sandbox.oauth2.issuer,
      audience: sandbox.oauth2.issuer,
      subject: 'fapi-ec',
      currentDate: new Date(clock.now),
    });
    expect(accessToken.payload).toMatchObject({ client_id: 'fapi-ec', scope: 'payments', cnf: { jkt: fapi.dpopThumbprint } });
    expect(accessToken.payload.exp! - accessToken.payload.iat!).toBe(900);
  });

  it('caches the token and reuses it; every resource call carries a fresh proof with ath over the exact URL', async () => {
    const seen: Seen[] = [];
    const fapi = client(seen);
    const before = sandbox.oauth2.tokenLog().length;
    const first = await fapi.getToken();
    clock.now += 5 * 60_000;
    expect(await fapi.getToken()).toBe(first);
    for (let i = 0; i < 3; i++) expect((await fapi.fetch(balances())).status).toBe(200);
    expect(outcomesSince(before).filter((outcome) => outcome === 'issued')).toHaveLength(1);

    const resourceProofs = seen.filter((entry) => entry.url === balances()).map((entry) => entry.headers.get('dpop')!);
    expect(new Set(resourceProofs).size).toBe(3);
    for (const proof of resourceProofs) {
      const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', currentDate: new Date(clock.now) });
      expect(payload).toMatchObject({ htm: 'GET', htu: dpopTargetUri(balances()), ath: accessTokenHash(first.accessToken) });
    }
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'oauth2-dpop', status: 200, listener: 'crossBorder' });
  });

  it('gets a new token once the cached one is within 60 s of expiry (fake clock); the old one then expires', async () => {
    const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const fapi = client(undefined, { dpopKey });
    const first = await fapi.getToken();
    clock.now = first.expiresAt - 61_000;
    expect(await fapi.getToken()).toBe(first);
    clock.now = first.expiresAt - 59_000;
    const second = await fapi.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await fapi.fetch(balances())).status).toBe(200);

    clock.now = first.expiresAt + 1_000;
    const proof = await makeProof(dpopKey, { htm: 'GET', htu: balances(), iat: Math.floor(clock.now / 1000), accessToken: first.accessToken });
    const expired = await call(agent, balances(), { headers: { authorization: `DPoP ${first.accessToken}`, dpop: proof } });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^DPoP error="invalid_token"/);
    expect((await fapi.fetch(balances())).status).toBe(200);
  });

  it('50 concurrent callers cause one token request', async () => {
    const fapi = client(undefined, { scopes: ['payments', 'concurrency'] });
    const before = sandbox.oauth2.tokenLog().length;
    const responses = await Promise.all(Array.from({ length: 50 }, () => fapi.fetch(balances())));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    // One token request; the nonce challenge before it is the same request asked again once.
    expect(outcomesSince(before)).toEqual(['use_dpop_nonce', 'issued']);
  });

  it('accepts a PS256 assertion from an RSA client registered by PEM', async () => {
    const fapi = client(undefined, { clientId: 'fapi-rsa', kid: 'kid-rsa', signingKey: rsaKey });
    expect((await fapi.fetch(balances())).status).toBe(200);
  });
});

describe('sandbox token endpoint rejections', () => {
  const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const seconds = () => Math.floor(clock.now / 1000);
  async function tokenCall(assertion: string, proofOverrides: { htu?: string; nonce?: string | null } = {}) {
    const probe = await call(agent, sandbox.oauth2.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds() }) },
      body: clientCredentialsForm(assertion),
    });
    expect(probe.status).toBe(400);
    expect(probe.json?.error).toBe('use_dpop_nonce');
    const nonce = probe.headers['dpop-nonce'] as string;
    const proof = await makeProof(dpopKey, {
      htm: 'POST',
      htu: proofOverrides.htu ?? sandbox.oauth2.tokenEndpoint,
      iat: seconds(),
      ...(proofOverrides.nonce !== null && { nonce: proofOverrides.nonce ?? nonce }),
    });
    return call(agent, sandbox.oauth2.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      body: clientCredentialsForm(assertion),
    });
  }
  const assertion = (overrides: Partial<Parameters<typeof makeAssertion>[1]> = {}) =>
    makeAssertion(ecKey, { clientId: 'fapi-ec', kid: 'kid-ec', audience: sandbox.oauth2.issuer, iat: seconds(), ...overrides });

  it('issues a token for a well-formed hand-made request (the baseline of the cases below)', async () => {
    const response = await tokenCall(await assertion());
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ token_type: 'DPoP', expires_in: 900 });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('rejects an expired client assertion', async () => {
    const response = await tokenCall(await assertion({ iat: seconds() - 600, exp: seconds() - 300 }));
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: 'invalid_client' });
    expect(String(response.json?.error_description)).toMatch(/ERR_JWT_EXPIRED/);
  });

  it('rejects an assertion for another audience, with another kid, of an unknown client, or replayed', async () => {
    expect((await tokenCall(await assertion({ audience: 'https://sandbox.api.mastercard.com' }))).json?.error).toBe('invalid_client');
    expect((await tokenCall(await assertion({ kid: 'other-kid' }))).json?.error).toBe('invalid_client');
    expect((await tokenCall(await assertion({ clientId: 'nobody' }))).json?.error).toBe('invalid_client');
    const once = await assertion();
    expect((await tokenCall(once)).status).toBe(200);
    const replay = await tokenCall(once);
    expect(replay.json).toMatchObject({ error: 'invalid_client', error_description: 'client assertion jti replayed' });
  });

  it('rejects a token request whose proof is missing, for another URL, or carries no nonce', async () => {
    const missing = await call(agent, sandbox.oauth2.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: clientCredentialsForm(await assertion()),
    });
    expect(missing.json).toMatchObject({ error: 'invalid_dpop_proof' });
    expect((await tokenCall(await assertion(), { htu: `${sandbox.oauth2.url}/oauth2/other` })).json?.error).toBe('invalid_dpop_proof');
    const noNonce = await tokenCall(await assertion(), { nonce: null });
    expect(noNonce.json?.error).toBe('use_dpop_nonce');
    expect(noNonce.headers['dpop-nonce']).toEqual(expect.any(String));
  });

  it('refuses a proof that embeds a private key, and publishes its metadata', async () => {
    const jwk = dpopKey.export({ format: 'jwk' });
    const proof = await makeProof(dpopKey, { htm: 'POST', htu: sandbox.oauth2.tokenEndpoint, iat: seconds() }, { jwk });
    expect(decodeProtectedHeader(proof).jwk).toHaveProperty('d');
    const response = await call(agent, sandbox.oauth2.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      body: clientCredentialsForm(await assertion()),
    });
    expect(response.json?.error).toBe('invalid_dpop_proof');
    const metadata = await call(agent, `${sandbox.oauth2.url}/.well-known/oauth-authorization-server`);
    expect(metadata.json).toMatchObject({ issuer: sandbox.oauth2.issuer, token_endpoint: sandbox.oauth2.tokenEndpoint, code_challenge_methods_supported: ['S256'] });
    expect(sandbox.urls.oauth2).toBe(sandbox.oauth2.url);
    expect(new URL(sandbox.oauth2.url).hostname).toBe('127.0.0.1');
  });
});

describe('OAuth 2.0 client registration', () => {
  it('reads the key from a certificate or a public JWK, and refuses private JWKs, weak keys and garbage', async () => {
    const ca = await createCertificateAuthority({ commonName: 'registration test CA' });
    const fromCertificate = sandbox.oauth2.registerClient({ publicKey: ca.certificate.toString() });
    expect(fromCertificate).toMatchObject({ algorithm: 'PS256', kid: jwkThumbprint(ca.certificate) });
    expect(sandbox.oauth2.registerClient({ publicKey: ca.certificate }).kid).toBe(fromCertificate.kid);
    const jwk = createPublicKey(ecKey).export({ format: 'jwk' });
    expect(sandbox.oauth2.registerClient({ publicKey: jwk })).toMatchObject({ algorithm: 'ES256', kid: jwkThumbprint(ecKey) });
    // A private KeyObject is reduced to its public half, never kept.
    expect(sandbox.oauth2.registerClient({ publicKey: rsaKey }).kid).toBe(jwkThumbprint(rsaKey));
    expect(() => sandbox.oauth2.registerClient({ publicKey: ecKey.export({ format: 'jwk' }) })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/private JWK/) }),
    );
    expect(() => sandbox.oauth2.registerClient({ publicKey: 'nope' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => sandbox.oauth2.registerClient({ publicKey: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(() => sandbox.oauth2.registerClient({ publicKey: createSecretKey(Buffer.alloc(32)) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => sandbox.oauth2.registerClient({ publicKey: weak })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
  });
});
