// Cross-Border over OAuth 2.0 (FAPI 2.0 DPoP) and over the request token, against the real
// sandbox; the headers the client sends are recorded on the wire and checked with jose.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { accessTokenHash, createAuthorizationCodeClient, createFapi2Client, createPkce, dpopTargetUri, type StoredRefreshToken } from '@mcapi/auth';
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { Agent, type Dispatcher, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logMark, logSince, quoteRequest as sharedQuoteRequest, startWorld, type World } from './helpers.js';

/** An undici Agent that records the method, URL and headers of every request it sends. */
class RecordingAgent extends Agent {
  readonly sent: { method: string; url: string; headers: Record<string, string> }[] = [];
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const headers: Record<string, string> = {};
    const raw = options.headers;
    if (Array.isArray(raw)) for (let i = 0; i + 1 < raw.length; i += 2) headers[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
    else if (raw && typeof raw === 'object') for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = String(value);
    this.sent.push({ method: options.method, url: `${String(options.origin)}${options.path}`, headers });
    return super.dispatch(options, handler);
  }
}

let world: World;
let agent: RecordingAgent;
const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
let clientId: string;
let kid: string;

beforeAll(async () => {
  world = await startWorld({}, { requestTokenEnabled: true });
  agent = new RecordingAgent({ connect: { ca: world.sandbox.caCertificate } });
  ({ clientId, kid } = world.sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), redirectUris: ['https://app.example/cb'] }));
}, 60_000);
afterAll(async () => {
  await world?.close();
  await agent?.close();
});
// A failed assertion must not leave a fault rule active for the next test.
afterEach(() => {
  world?.sandbox.dashboard.clearFaults();
});

/** A refresh-token store in memory; `current` is what it holds. */
const memoryStore = () => {
  const store = {
    current: undefined as StoredRefreshToken | undefined,
    load: async () => store.current,
    save: async (token: StoredRefreshToken) => {
      store.current = token;
    },
    clear: async () => {
      store.current = undefined;
    },
  };
  return store;
};
/** fetch through the recording agent (token requests made by clients built in the test). */
const agentFetch = (input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
const quoteRequest = (reference: string) => sharedQuoteRequest(reference, '10.00');
const oauth2Client = (more: Record<string, unknown> = {}) =>
  world.makeClient({
    environment: { crossBorder: { baseUrl: world.sandbox.oauth2.url } },
    dispatcher: agent, // it trusts the sandbox CA: a dispatcher owns its connections, so no `ca` next to it
    ca: undefined,
    oauth2: { clientId, kid, signingKey, issuer: world.sandbox.oauth2.issuer, tokenEndpoint: world.sandbox.oauth2.tokenEndpoint, scopes: ['payments'] },
    ...more,
  });

describe('Cross-Border over OAuth 2.0 (FAPI 2.0 + DPoP)', () => {
  it('gets one DPoP token after the nonce challenge and signs every call with a fresh proof over its exact URL', async () => {
    const client = oauth2Client();
    const before = world.sandbox.oauth2.tokenLog().length;
    const sentBefore = agent.sent.length;
    const reference = `09${Date.now()}ACFQ`;
    const quote = await client.crossBorder.quotes.create(quoteRequest(reference));
    const payment = await client.crossBorder.payments.create({ transaction_reference: reference, proposal_id: quote.proposals!.proposal![0]!.id! });
    await expect(client.crossBorder.payments.retrieve({ reference })).resolves.toMatchObject({ id: payment.id });
    expect(world.sandbox.log().slice(-3).map((entry) => [entry.auth, entry.status, entry.decryption])).toEqual([
      ['oauth2-dpop', 200, 'encrypted'],
      ['oauth2-dpop', 200, 'encrypted'],
      ['oauth2-dpop', 200, 'none'],
    ]);
    expect(world.sandbox.oauth2.tokenLog().slice(before).map((entry) => entry.outcome.split(':')[0])).toEqual(['use_dpop_nonce', 'issued']);

    const calls = agent.sent.slice(sentBefore).filter((sent) => !sent.url.endsWith('/oauth2/token'));
    expect(calls).toHaveLength(3);
    const thumbprints = new Set<string>();
    for (const call of calls) {
      const token = /^DPoP (\S+)$/.exec(call.headers.authorization ?? '')![1]!;
      const { payload, protectedHeader } = await jwtVerify(call.headers.dpop!, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
      expect(payload).toMatchObject({ htm: call.method, htu: dpopTargetUri(call.url), ath: accessTokenHash(token) });
      thumbprints.add(await calculateJwkThumbprint(protectedHeader.jwk!));
    }
    expect(thumbprints.size).toBe(1);
    expect(calls[2]!.url).toContain('?ref=');
  });

  it('reaches every other Cross-Border API over OAuth 2.0 too: RFI, account validation, bank lookup, IBANs, addresses, endpoint guide, cash pickup', async () => {
    const xb = oauth2Client().crossBorder;
    const mark = logMark(world.sandbox);
    await expect(xb.rfi.retrieve('11-rfi-oauth2')).resolves.toMatchObject({ retrieveResponse: { requestStatus: 'OPEN' } });
    const { documentId } = await xb.rfi.uploadDocument({ fileName: 'id.pdf', file: Buffer.from('%PDF-1.4\n% id scan\n') });
    await expect(
      xb.rfi.update('11-rfi-oauth2', { sender: { fullName: 'Ada Lovelace', governmentId: { type: 'ppn', number: 'X123', documents: [documentId!] } } }),
    ).resolves.toMatchObject({ requestStatus: 'REVIEW' });
    await expect(xb.rfi.downloadDocument(documentId!)).resolves.toMatchObject({ fileName: 'id.pdf' });
    await expect(xb.accounts.validate({ accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } })).resolves.toMatchObject({ status: 'SUCCESS' });
    await expect(xb.banks.lookup({ bank: { country: 'AUS', bic: { type: 'CHIPS', value: '0001SUC20002' } } })).resolves.toHaveProperty('bankInfo');
    await expect(
      xb.accounts.generateIbans({ country: 'FRA', accountUri: { type: 'ban', value: '20041010050500013M02606' }, branchCode: '2004101005', accountNo: '0500013026' }),
    ).resolves.toHaveProperty('ibanDetails');
    await expect(xb.addresses.validate({ country: 'USA', address: '4 CLARK STREET, EVERETT, MA, 02149' })).resolves.toMatchObject({ status: 'VALID' });
    const guide = await xb.endpointGuide.retrieve({ paymentType: 'P2P', destinationCountry: 'IND', destinationCurrency: 'INR', destinationPaymentInstrument: 'BANK', specification: 'TEG' });
    expect(guide).toHaveLength(1);
    await expect(xb.cashPickup.countries({ cashPickupType: 'IN_NETWORK' })).resolves.toHaveLength(2);
    const calls = logSince(world.sandbox, mark).filter((entry) => !entry.path.endsWith('/oauth2/token'));
    expect(calls).toHaveLength(10);
    expect(calls.every((entry) => entry.auth === 'oauth2-dpop' && entry.status === 200)).toBe(true);
  });

  it('makes a fresh proof for each retry attempt (the sandbox refuses a replayed jti)', async () => {
    const client = oauth2Client();
    world.sandbox.dashboard.addFault({ listener: 'crossBorder', path: '/send/v1/partners/SANDBOX_1234567/crossborder/quotes', status: 503, times: 1 });
    const sentBefore = agent.sent.length;
    await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}1ACFQ`));
    const attempts = agent.sent.slice(sentBefore).filter((sent) => sent.url.endsWith('/crossborder/quotes'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers.dpop).not.toBe(attempts[1]!.headers.dpop);
    expect(world.sandbox.log().slice(-2).map((entry) => entry.status)).toEqual([503, 200]);
  });

  it('uses a Fapi2Client given as oauth2.client', async () => {
    const fapi = createFapi2Client({
      clientId,
      kid,
      signingKey,
      issuer: world.sandbox.oauth2.issuer,
      tokenEndpoint: world.sandbox.oauth2.tokenEndpoint,
      fetch: agentFetch,
    });
    const client = oauth2Client({ oauth2: { client: fapi } });
    await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}2ACFQ`));
    const last = agent.sent.at(-1)!;
    expect(await calculateJwkThumbprint(decodeProtectedHeader(last.headers.dpop!).jwk!)).toBe(fapi.dpopThumbprint);
  });

  it('rejects crossBorder.auth "oauth2" without oauth2 credentials at construction', () => {
    expect(() => world.makeClient({ crossBorder: { auth: 'oauth2' } })).toThrow(/crossBorder.auth is "oauth2"/);
  });
});

describe('Cross-Border over the request token, balances over the authorization code flow', () => {
  it('crossBorder.auth "request-token" takes the keyring signing key; balances get the Bearer token', async () => {
    const store = memoryStore();
    const balances = createAuthorizationCodeClient({
      tokenEndpoint: world.sandbox.oauth2.tokenEndpoint,
      clientId,
      clientAssertion: { signingKey, kid, issuer: world.sandbox.oauth2.issuer },
      redirectUri: 'https://app.example/cb',
      store,
      fetch: agentFetch,
    });
    const pkce = createPkce();
    const login = world.sandbox.oauth2.login({ clientId, codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    if (!login.ok) throw new Error(login.description);
    await balances.exchangeCode({ code: login.code, codeVerifier: pkce.codeVerifier });

    const client = world.makeClient({
      environment: { crossBorder: { baseUrl: world.sandbox.oauth2.url } },
      dispatcher: agent, // it trusts the sandbox CA: a dispatcher owns its connections, so no `ca` next to it
      ca: undefined,
      crossBorder: { partnerId: 'SANDBOX_1234567', auth: 'request-token', balances },
    });
    const sentBefore = agent.sent.length;
    await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}3ACFQ`));
    const accounts = await client.crossBorder.balances.list({ includeBalance: true });
    expect(accounts.length).toBeGreaterThan(0);
    expect(world.sandbox.log().slice(-2).map((entry) => entry.auth)).toEqual(['request-token', 'oauth2-bearer']);

    // The request token on the wire, checked with jose against the registered certificate.
    const signing = world.provisioned.keyring.active('signing', 'sandbox');
    const [quoteCall, balanceCall] = agent.sent.slice(sentBefore);
    const jwt = quoteCall!.headers.authorization!.replace(/^Bearer /, '');
    const { payload, protectedHeader } = await jwtVerify(jwt, signing.certificate!.publicKey, { typ: 'JWT', algorithms: ['RS256', 'ES256'] });
    expect(protectedHeader).toMatchObject({ cty: 'JWS', kid: world.provisioned.consumerKey, x5c: [signing.certificate!.raw.toString('base64')] });
    // The form Mastercard's generator writes: the RFC 7638 thumbprint of the signing public key.
    expect(protectedHeader['x5t#S256']).toBe(await calculateJwkThumbprint(await exportJWK(signing.certificate!.publicKey), 'sha256'));
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
    expect(balanceCall!.headers.authorization).toBe(await balances.authorize());
    expect(balanceCall!.headers.dpop).toBeUndefined();
  });

  it('a revoked refresh token surfaces from the balance call as ERR_OAUTH2_LOGIN_REQUIRED', async () => {
    let now = Date.now();
    const store = memoryStore();
    // client_secret_basic: the client's clock runs ahead of the sandbox's, which would void an assertion.
    const secretClient = world.sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), redirectUris: ['https://app.example/cb'], withSecret: true });
    const balances = createAuthorizationCodeClient({
      tokenEndpoint: world.sandbox.oauth2.tokenEndpoint,
      clientId: secretClient.clientId,
      clientSecret: secretClient.clientSecret!,
      redirectUri: 'https://app.example/cb',
      store,
      fetch: agentFetch,
      now: () => now,
    });
    const pkce = createPkce();
    const login = world.sandbox.oauth2.login({ clientId: secretClient.clientId, codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    if (!login.ok) throw new Error(login.description);
    await balances.exchangeCode({ code: login.code, codeVerifier: pkce.codeVerifier });
    const client = world.makeClient({
      environment: { crossBorder: { baseUrl: world.sandbox.oauth2.url } },
      dispatcher: agent, // it trusts the sandbox CA: a dispatcher owns its connections, so no `ca` next to it
      ca: undefined,
      crossBorder: { partnerId: 'SANDBOX_1234567', balances },
    });
    await expect(client.crossBorder.balances.retrieve('acct_1001')).resolves.toMatchObject({ accountId: 'acct_1001' });
    world.sandbox.oauth2.revokeRefreshTokens(secretClient.clientId);
    now += 16 * 60_000; // the client's access token is due for a refresh
    await expect(client.crossBorder.balances.list()).rejects.toMatchObject({ code: 'ERR_OAUTH2_LOGIN_REQUIRED' });
    expect(store.current).toBeUndefined();
  });

  it('on the OAuth 1.0a listener, crossBorder.auth "request-token" works and "oauth1" still signs with OAuth 1.0a', async () => {
    const requestToken = world.makeClient({ crossBorder: { partnerId: 'SANDBOX_1234567', auth: 'request-token' } });
    await requestToken.crossBorder.quotes.create(quoteRequest(`09${Date.now()}4ACFQ`));
    expect(world.sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'request-token', status: 200 });
    const oauth1 = world.makeClient({ crossBorder: { partnerId: 'SANDBOX_1234567', auth: 'oauth1' } });
    await oauth1.crossBorder.quotes.create(quoteRequest(`09${Date.now()}5ACFQ`));
    expect(world.sandbox.log().at(-1)).toMatchObject({ auth: 'oauth1', status: 200 });
  });
});
