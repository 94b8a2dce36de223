import { generateKeyPairSync } from 'node:crypto';
import type { AuthorizationCodeClient, Fapi2Client } from '@mcapi/auth';
import { describe, expect, it } from 'vitest';
import { createApiAuth } from '../src/auth/api-auth.js';
import { oauth2Authorizer, withBalanceAuthorizer } from '../src/auth/oauth2-authorizers.js';
import { keyringCredentials } from '../src/config/keyring-credentials.js';
import { resolveCrossBorderAuth } from '../src/config/resolve-config.js';
import { transportFetch } from '../src/auth/oauth2-token-fetch.js';
import type { Transport } from '../src/pipeline/types.js';

const base = 'https://sandbox.api.mastercard.com/send/partners/P1/crossborder';

function fakeCodeClient(): AuthorizationCodeClient & { calls: number } {
  const client = {
    calls: 0,
    exchangeCode: async () => ({ accessToken: 'a', expiresAt: 0 }),
    getAccessToken: async () => 'balance-token',
    authorize: async () => {
      client.calls++;
      return 'Bearer balance-token';
    },
    logout: async () => undefined,
  };
  return client;
}

describe('oauth2Authorizer', () => {
  it('asks the FAPI 2.0 client for a new proof on every attempt, over the exact method and URL', async () => {
    const seen: { method: string; url: string }[] = [];
    const fapi = {
      dpopThumbprint: 'x',
      getToken: async () => ({ accessToken: 't', tokenType: 'DPoP', expiresAt: 0, scopes: [] }),
      authorize: async (request: { method: string; url: string | URL }) => {
        seen.push({ method: request.method, url: String(request.url) });
        return { authorization: 'DPoP t', dpop: `proof-${seen.length}` };
      },
      fetch: async () => new Response(null),
    } as Fapi2Client;
    const authorize = oauth2Authorizer(fapi);
    const request = { method: 'POST', url: `${base}/quotes?x=1`, body: '{}' };
    expect(await authorize(request)).toEqual({ authorization: 'DPoP t', dpop: 'proof-1' });
    expect(await authorize(request)).toEqual({ authorization: 'DPoP t', dpop: 'proof-2' });
    expect(seen).toEqual([
      { method: 'POST', url: `${base}/quotes?x=1` },
      { method: 'POST', url: `${base}/quotes?x=1` },
    ]);
  });
});

describe('withBalanceAuthorizer', () => {
  it('sends balance calls with the authorization code token and the rest with the base authorizer', async () => {
    const codeClient = fakeCodeClient();
    const authorize = withBalanceAuthorizer(async () => ({ authorization: 'OAuth base' }), codeClient);
    expect(await authorize({ method: 'GET', url: `${base}/accounts?include_balance=true`, body: undefined })).toEqual({ authorization: 'Bearer balance-token' });
    expect(await authorize({ method: 'GET', url: `${base}/accounts/acct_1001`, body: undefined })).toEqual({ authorization: 'Bearer balance-token' });
    expect(await authorize({ method: 'POST', url: `${base}/quotes`, body: '{}' })).toEqual({ authorization: 'OAuth base' });
    // A path that merely starts like the balance path is not a balance call.
    expect(await authorize({ method: 'GET', url: `${base}/accountsx`, body: undefined })).toEqual({ authorization: 'OAuth base' });
    // Account validation and IBAN generation live under …/accounts/ but are not balance APIs.
    expect(await authorize({ method: 'POST', url: `${base}/accounts/validations`, body: '{}' })).toEqual({ authorization: 'OAuth base' });
    expect(await authorize({ method: 'POST', url: `${base}/accounts/generate-ibans`, body: '{}' })).toEqual({ authorization: 'OAuth base' });
    expect(codeClient.calls).toBe(2);
  });

  it('without a base authorizer, non-balance calls fail with a message naming what to configure', async () => {
    const authorize = withBalanceAuthorizer(undefined, fakeCodeClient());
    await expect(authorize({ method: 'POST', url: `${base}/quotes`, body: '{}' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringContaining('crossBorder.balances'),
    });
    const plain = async () => ({ authorization: 'x' });
    // Without balances the base authorizer is used unchanged.
    expect(createApiAuth({ auth: { method: 'custom', authorizer: plain } }, { timeoutMs: 1000 }).authorizer).toBe(plain);
  });
});

const noKeyring = keyringCredentials(undefined, 'sandbox');
describe('resolveCrossBorderAuth', () => {
  it('chooses no method when neither credentials, auth nor oauth2 is given', () => {
    expect(resolveCrossBorderAuth({}, noKeyring).auth).toBeUndefined();
  });

  it('refuses a chosen method without its credentials', () => {
    expect(() => resolveCrossBorderAuth({ crossBorder: { auth: 'request-token' } }, noKeyring)).toThrow(/requestToken/);
    expect(() => resolveCrossBorderAuth({ crossBorder: { auth: 'oauth1' } }, noKeyring)).toThrow(/oauth1/);
    expect(() => resolveCrossBorderAuth({ crossBorder: { auth: 'oauth2' } }, noKeyring)).toThrow(/oauth2/);
    expect(() => resolveCrossBorderAuth({ crossBorder: { auth: 'bearer' as 'oauth1' } }, noKeyring)).toThrow(/must be/);
  });

  it('picks OAuth 1.0a when asked even if oauth2 is configured', async () => {
    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const resolved = resolveCrossBorderAuth(
      {
        crossBorder: { auth: 'oauth1' },
        oauth1: { consumerKey: 'ck', signingKey },
        oauth2: { clientId: 'c', kid: 'k', signingKey, issuer: 'https://as.example', tokenEndpoint: 'https://as.example/token' },
      },
      noKeyring,
    );
    const authorize = createApiAuth(resolved, { timeoutMs: 1000 }).authorizer!;
    expect((await authorize({ method: 'GET', url: `${base}/accounts`, body: undefined })).authorization).toMatch(/^OAuth oauth_consumer_key="ck"/);
  });
});

describe('transportFetch', () => {
  it('maps a fetch call onto a transport and back (string body, repeated headers, bodiless statuses)', async () => {
    const requests: Parameters<Transport['request']>[0][] = [];
    let status = 200;
    const transport: Transport = {
      async request(request) {
        requests.push(request);
        return { status, headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'dpop-nonce': 'n1' }, body: new TextEncoder().encode('{"ok":true}') };
      },
    };
    const fetchLike = transportFetch(transport);
    const response = await fetchLike('https://as.example/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', DPoP: 'p' }, body: 'a=b' });
    expect(requests[0]).toEqual({ method: 'POST', url: 'https://as.example/token', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'p' }, body: 'a=b' });
    expect(response.status).toBe(200);
    expect(response.headers.get('dpop-nonce')).toBe('n1');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({ ok: true });
    status = 204;
    expect((await fetchLike('https://as.example/x')).status).toBe(204);
    await expect(fetchLike('https://as.example/x', { method: 'POST', body: new Uint8Array(1) })).rejects.toThrow(TypeError);
  });
});
