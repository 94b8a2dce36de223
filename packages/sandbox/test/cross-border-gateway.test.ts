import { X509Certificate, randomBytes, randomUUID } from 'node:crypto';
import { createOAuth1Signer, createRequestTokenSigner } from '@mcapi/auth';
import { certificateFingerprint } from '@mcapi/keys';
import { createCertificateAuthority, createCsr, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Identity, crossBorderQuoteRequest, decryptWith, encryptFor, firstEnvelopeError, issueIdentity, send } from './helpers.js';

let sandbox: Sandbox;
let agent: Agent;
let signingKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
let consumerKey: string;
let signingCertificate: string;
let responseKey: Identity;

beforeAll(async () => {
  sandbox = await startSandbox({ requestTokenEnabled: true });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ({ privateKey: signingKey } = await generateRsaKeyPair(2048));
  const registered = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey: signingKey, subject: { CN: 'signing' } }) });
  consumerKey = registered.consumerKey;
  signingCertificate = registered.certificate;
  responseKey = await issueIdentity(sandbox, 'response-decryption');
});

// A failed assertion must not leave a fault rule active for the next test.
afterEach(() => sandbox.dashboard.clearFaults());

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

const quotePath = '/send/v1/partners/SANDBOX_1234567/crossborder/quotes';
const quote = (reference: string) => JSON.stringify(crossBorderQuoteRequest(reference));

async function signed(method: string, path: string, body: string | undefined, options: { now?: () => number; key?: typeof signingKey; headers?: Record<string, string>; sendBody?: string } = {}) {
  const url = `${sandbox.urls.crossBorder}${path}`;
  const signer = createOAuth1Signer({ consumerKey, signingKey: options.key ?? signingKey, ...(options.now && { now: options.now }) });
  const authorization = await signer.authorize({ method, url, body });
  const sent = options.sendBody ?? body;
  return {
    authorization,
    response: await send(url, { method, ...(sent !== undefined && { body: sent }), headers: { authorization, ...options.headers }, dispatcher: agent }),
  };
}

const firstError = firstEnvelopeError;

// The authentication checks of the last logged request: [check, result] until the first non-auth step.
const authSteps = () =>
  sandbox
    .log()
    .at(-1)!
    .steps.filter((step) => !/^(fault rule applied|request payload|response encrypted|body is JSON)/.test(step.check))
    .map((step) => [step.check, step.result]);

describe('Cross-Border gateway: OAuth 1.0a', () => {
  it('accepts a request signed with @mcapi/auth and answers the quote', async () => {
    const { response } = await signed('POST', quotePath, quote('0800100ACFQ'));
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ quote: { transaction_reference: '0800100ACFQ' } });
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'oauth1', decryption: 'plaintext', status: 200 });
  });

  const rejections: Array<{ name: string; run: () => Promise<{ response: { status: number; json: () => unknown } }>; source: string; message: RegExp }> = [
    {
      name: 'a signature from another key',
      run: async () => signed('POST', quotePath, quote('0800101ACFQ'), { key: (await generateRsaKeyPair(2048)).privateKey }),
      source: 'OAuth.Signature',
      message: /signature/,
    },
    {
      name: 'a stale timestamp',
      run: () => signed('POST', quotePath, quote('0800102ACFQ'), { now: () => Date.now() - 20 * 60_000 }),
      source: 'OAuth.Timestamp',
      message: /oauth_timestamp/,
    },
    {
      name: 'a tampered body',
      run: () => signed('POST', quotePath, quote('0800103ACFQ'), { sendBody: quote('0800104ACFQ') }),
      source: 'OAuth.BodyHash',
      message: /body/,
    },
  ];
  it.each(rejections)('refuses $name with 401 AUTHENTICATION_FAILED and the acceptable base string', async ({ run, source, message }) => {
    const { response } = await run();
    expect(response.status).toBe(401);
    const error = firstError(response.json());
    expect(error).toMatchObject({ ReasonCode: 'AUTHENTICATION_FAILED', Source: source });
    expect(error.Description).toMatch(message);
    expect(error.Description).toContain('Acceptable signature base string: POST&https%3A%2F%2F127.0.0.1');
  });

  it('refuses a replayed nonce', async () => {
    const body = quote('0800105ACFQ');
    const { authorization, response } = await signed('POST', quotePath, body);
    expect(response.status).toBe(200);
    const replay = await send(`${sandbox.urls.crossBorder}${quotePath}`, { method: 'POST', body, headers: { authorization }, dispatcher: agent });
    expect(replay.status).toBe(401);
    expect(firstError(replay.json())).toMatchObject({ ReasonCode: 'AUTHENTICATION_FAILED', Source: 'OAuth.Nonce' });
  });

  it('refuses a missing Authorization header and unknown consumer keys', async () => {
    const bare = await send(`${sandbox.urls.crossBorder}${quotePath}`, { method: 'POST', body: quote('0800106ACFQ'), dispatcher: agent });
    expect(bare.status).toBe(401);
    expect(firstError(bare.json()).ReasonCode).toBe('AUTHENTICATION_FAILED');
    const url = `${sandbox.urls.crossBorder}${quotePath}`;
    const stranger = createOAuth1Signer({ consumerKey: 'unknown!000', signingKey });
    const body = quote('0800107ACFQ');
    const unknown = await send(url, { method: 'POST', body, headers: { authorization: await stranger.authorize({ method: 'POST', url, body }) }, dispatcher: agent });
    expect(unknown.status).toBe(401);
    expect(firstError(unknown.json()).Source).toBe('OAuth.ConsumerKey');
  });

  it('stops accepting a signing key once it is revoked', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const registered = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey, subject: { CN: 'short-lived' } }) });
    const url = `${sandbox.urls.crossBorder}${quotePath}`;
    const signer = createOAuth1Signer({ consumerKey: registered.consumerKey, signingKey: privateKey });
    const first = quote('0800108ACFQ');
    expect((await send(url, { method: 'POST', body: first, headers: { authorization: await signer.authorize({ method: 'POST', url, body: first }) }, dispatcher: agent })).status).toBe(200);
    sandbox.dashboard.revokeKey(registered.id);
    const second = quote('0800109ACFQ');
    expect((await send(url, { method: 'POST', body: second, headers: { authorization: await signer.authorize({ method: 'POST', url, body: second }) }, dispatcher: agent })).status).toBe(401);
  });
});

describe('Cross-Border gateway: JWE wrapper', () => {
  it('decrypts encrypted_payload and answers in the same wrapper with x-encrypted, kid = active key', async () => {
    const token = await encryptFor(sandbox, quote('0800200ACFQ'));
    const { response } = await signed('POST', quotePath, JSON.stringify({ encrypted_payload: { data: token } }), { headers: { 'x-encrypted': 'true' } });
    expect(response.status).toBe(200);
    expect(response.headers['x-encrypted']).toBe('true');
    const { data } = (response.json() as { encrypted_payload: { data: string } }).encrypted_payload;
    const { text, kid } = await decryptWith(data, responseKey.privateKey);
    expect(kid).toBe(responseKey.fingerprint);
    expect(JSON.parse(text)).toMatchObject({ quote: { transaction_reference: '0800200ACFQ' } });
    expect(sandbox.log().at(-1)).toMatchObject({ decryption: 'encrypted', response: 'encrypted' });
  });

  it('encrypts a GET response when x-encrypted: true is sent', async () => {
    const { response } = await signed('GET', '/send/partners/SANDBOX_1/crossborder/accounts?include_balance=true', undefined, { headers: { 'x-encrypted': 'true' } });
    expect(response.status).toBe(200);
    const { data } = (response.json() as { encrypted_payload: { data: string } }).encrypted_payload;
    expect(JSON.parse((await decryptWith(data, responseKey.privateKey)).text)).toHaveLength(2);
  });

  it('answers a malformed or undecryptable payload with 062000 from "Encrypted Payload", unencrypted', async () => {
    const token = await encryptFor(sandbox, quote('0800201ACFQ'));
    const parts = token.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}AA`;
    for (const body of [JSON.stringify({ encrypted_payload: { data: parts.join('.') } }), JSON.stringify({ encrypted_payload: {} })]) {
      const { response } = await signed('POST', quotePath, body, { headers: { 'x-encrypted': 'true' } });
      expect(response.status).toBe(400);
      expect(response.headers['x-encrypted']).toBeUndefined();
      expect(firstError(response.json())).toMatchObject({ ReasonCode: 'INVALID_INPUT_FORMAT', Source: 'Encrypted Payload', Details: { Detail: [{ Value: '062000' }] } });
    }
  });

  it('does not encrypt error responses', async () => {
    const token = await encryptFor(sandbox, quote('1XXXXXXXX130105'));
    const { response } = await signed('POST', quotePath, JSON.stringify({ encrypted_payload: { data: token } }), { headers: { 'x-encrypted': 'true' } });
    expect(response.status).toBe(402);
    expect(firstError(response.json()).ReasonCode).toBe('DECLINE');
  });

  it('refuses plaintext where encryption is required', async () => {
    const strict = await startSandbox({ encryption: { requireCrossBorder: true } });
    try {
      const { privateKey } = await generateRsaKeyPair(2048);
      const { consumerKey: key } = strict.dashboard.registerSigningKey({ csr: createCsr({ privateKey, subject: { CN: 'strict' } }) });
      const url = `${strict.urls.crossBorder}${quotePath}`;
      const body = quote('0800202ACFQ');
      const authorization = await createOAuth1Signer({ consumerKey: key, signingKey: privateKey }).authorize({ method: 'POST', url, body });
      const strictAgent = new Agent({ connect: { ca: strict.caCertificate } });
      const response = await send(url, { method: 'POST', body, headers: { authorization }, dispatcher: strictAgent });
      await strictAgent.close();
      expect(response.status).toBe(400);
      expect(firstError(response.json())).toMatchObject({ ReasonCode: 'INVALID_INPUT_FORMAT', Source: 'Encrypted Payload' });
      expect(strict.log().at(-1)).toMatchObject({ decryption: 'required', status: 400 });
    } finally {
      await strict.close();
    }
  });
});

describe('Cross-Border gateway: request token', () => {
  it('accepts a request token signed with the registered key and certificate', async () => {
    const signer = createRequestTokenSigner({ consumerKey, signingKey, certificate: signingCertificate });
    const body = quote('0800300ACFQ');
    const response = await send(`${sandbox.urls.crossBorder}${quotePath}`, { method: 'POST', body, headers: { authorization: await signer.authorize() }, dispatcher: agent });
    expect(response.status).toBe(200);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'request-token' });
    expect(authSteps()).toEqual([
      ['request tokens accepted here', 'passed'],
      ['token well-formed', 'passed'],
      ['consumer key registered', 'passed'],
      ['x5c is the registered signing certificate', 'passed'],
      ['signature and validity times', 'passed'],
      ['lifetime at most 15 minutes', 'passed'],
      ['jti fresh', 'passed'],
    ]);
  });

  it('refuses a token whose x5c is another certificate, and a replayed token', async () => {
    const ca = await createCertificateAuthority({ commonName: 'elsewhere' });
    const foreign = issueCertificate({ issuer: ca, publicKey: new X509Certificate(signingCertificate).publicKey, subject: { CN: 'signing' }, usage: 'client' });
    const forged = createRequestTokenSigner({ consumerKey, signingKey, certificate: foreign });
    const url = `${sandbox.urls.crossBorder}${quotePath}`;
    const refused = await send(url, { method: 'POST', body: quote('0800301ACFQ'), headers: { authorization: await forged.authorize() }, dispatcher: agent });
    expect(refused.status).toBe(401);
    expect(firstError(refused.json())).toMatchObject({ ReasonCode: 'AUTHENTICATION_FAILED', Source: 'Authorization' });
    // Step by step: the check that stopped it, the ones before passed, the ones after not reached.
    expect(authSteps().slice(2, 5)).toEqual([
      ['consumer key registered', 'passed'],
      ['x5c is the registered signing certificate', 'failed'],
      ['signature and validity times', 'skipped'],
    ]);

    const authorization = await createRequestTokenSigner({ consumerKey, signingKey, certificate: signingCertificate }).authorize();
    expect((await send(url, { method: 'POST', body: quote('0800302ACFQ'), headers: { authorization }, dispatcher: agent })).status).toBe(200);
    expect((await send(url, { method: 'POST', body: quote('0800303ACFQ'), headers: { authorization }, dispatcher: agent })).status).toBe(401);
    expect(authSteps().at(-2)).toEqual(['lifetime at most 15 minutes', 'passed']);
    expect(sandbox.log().at(-1)!.steps[6]).toEqual({ check: 'jti fresh', result: 'failed', detail: 'replayed jti' });
  });

  it('refuses a token replayed on the other listener that serves Cross-Border (the OAuth 2.0 one)', async () => {
    const authorization = await createRequestTokenSigner({ consumerKey, signingKey, certificate: signingCertificate }).authorize();
    const first = await send(`${sandbox.urls.oauth2}${quotePath}`, { method: 'POST', body: quote('0800304ACFQ'), headers: { authorization }, dispatcher: agent });
    expect(first.status).toBe(200);
    const replayed = await send(`${sandbox.urls.crossBorder}${quotePath}`, { method: 'POST', body: quote('0800305ACFQ'), headers: { authorization }, dispatcher: agent });
    expect(replayed.status).toBe(401);
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'failed: replayed jti' });
  });
});

describe('Cross-Border gateway: request token claims', () => {
  const certificate = () => new X509Certificate(signingCertificate);
  const token = (options: { lifetimeSeconds?: number; x5t?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        kid: consumerKey,
        x5c: [certificate().raw.toString('base64')],
        'x5t#S256': options.x5t ?? Buffer.from(certificateFingerprint(certificate()), 'hex').toString('base64url'),
      })
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (options.lifetimeSeconds ?? 600))
      .setJti(randomUUID())
      .sign(signingKey);
  };
  const post = async (jwt: string, reference: string, path = quotePath) =>
    send(`${sandbox.urls.crossBorder}${path}`, { method: 'POST', body: quote(reference), headers: { authorization: `Bearer ${jwt}` }, dispatcher: agent });

  it('accepts a hand-made token with the RFC 7515 certificate hash in x5t#S256 (the baseline of the cases below)', async () => {
    expect((await post(await token(), '0800310ACFQ')).status).toBe(200);
  });

  it("accepts a token built the way Mastercard's generator builds it (RFC 7638 key thumbprint, cty JWS, hex jti)", async () => {
    // Mastercard's send-util-crossborder-oauth2 (Nimbus): alg RS256, typ JWT, cty JWS, kid =
    // consumer key, x5c = [signing certificate], x5t#S256 = JWK thumbprint of the public key;
    // claims exp, nbf, iat, jti. Built here with jose alone, not with our signer.
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ jti: randomBytes(16).toString('hex') })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        cty: 'JWS',
        kid: consumerKey,
        x5c: [certificate().raw.toString('base64')],
        'x5t#S256': await calculateJwkThumbprint(await exportJWK(certificate().publicKey), 'sha256'),
      })
      .setExpirationTime(now + 15 * 60)
      .setNotBefore(now)
      .setIssuedAt(now)
      .sign(signingKey);
    expect((await post(jwt, '0800313ACFQ')).status).toBe(200);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'request-token', status: 200 });
  });

  it('refuses an x5t#S256 that is not the x5c thumbprint, and a lifetime over 15 minutes', async () => {
    const wrongThumbprint = await post(await token({ x5t: Buffer.alloc(32).toString('base64url') }), '0800311ACFQ');
    expect(wrongThumbprint.status).toBe(401);
    expect(firstError(wrongThumbprint.json())).toMatchObject({ ReasonCode: 'AUTHENTICATION_FAILED', Source: 'Authorization' });
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'failed: x5t#S256 does not match x5c', status: 401 });

    const longLived = await post(await token({ lifetimeSeconds: 16 * 60 }), '0800312ACFQ');
    expect(longLived.status).toBe(401);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'failed: token lifetime over 15 minutes', status: 401 });
    expect(authSteps().slice(4)).toEqual([
      ['signature and validity times', 'passed'],
      ['lifetime at most 15 minutes', 'failed'],
      ['jti fresh', 'skipped'],
    ]);
  });

  it('refuses a request token on the balance APIs (they take OAuth 2.0)', async () => {
    const balances = await send(`${sandbox.urls.crossBorder}/send/partners/SANDBOX_1234567/crossborder/accounts?include_balance=true`, {
      headers: { authorization: `Bearer ${await token()}` },
      dispatcher: agent,
    });
    expect(balances.status).toBe(401);
    expect(firstError(balances.json()).Description).toMatch(/do not accept request tokens/);
    expect(authSteps().slice(0, 2)).toEqual([
      ['request tokens accepted here', 'failed'],
      ['token well-formed', 'skipped'],
    ]);
  });
});

describe('Cross-Border gateway: faults', () => {
  it('answers an injected 503 in the Cross-Border envelope and corrupts the wrapped JWE on request', async () => {
    sandbox.dashboard.setFaults([{ listener: 'crossBorder', path: quotePath, status: 503, retryAfterSeconds: 3, times: 1 }]);
    const { response } = await signed('POST', quotePath, quote('0800400ACFQ'));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('3');
    expect(firstError(response.json())).toMatchObject({ Source: 'Gateway', ReasonCode: 'SYSTEM_ERROR' });

    sandbox.dashboard.setFaults([{ listener: 'crossBorder', corruptJwe: true, times: 1 }]);
    const token = await encryptFor(sandbox, quote('0800401ACFQ'));
    const corrupted = await signed('POST', quotePath, JSON.stringify({ encrypted_payload: { data: token } }), { headers: { 'x-encrypted': 'true' } });
    expect(corrupted.response.status).toBe(200);
    const { data } = (corrupted.response.json() as { encrypted_payload: { data: string } }).encrypted_payload;
    await expect(decryptWith(data, responseKey.privateKey)).rejects.toMatchObject({ code: 'ERR_JWE_DECRYPTION_FAILED' });
    expect(sandbox.dashboard.faults()).toEqual([]);
  });
});
