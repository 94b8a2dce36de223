// Issue #14 §2: Cross-Border over mTLS (MTS EU/UK): a client certificate next to the request
// token or OAuth 2.0, against a sandbox whose Cross-Border listeners ask for one
// (`crossBorderMtls`). A missing or foreign certificate is refused at the handshake.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/resolve-config.js';
import { rotateMtlsCertificate, type RotatedKey } from '../demo/provision.js';
import type { McapiClient } from '../src/index.js';
import { digits, expectSwitched, logMark, logSince, quoteRequest, startWorld, whileRequestsFlow, type World } from './helpers.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({}, { requestTokenEnabled: true, crossBorderMtls: true });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const requestToken = () => {
  const signing = world.provisioned.keyring.active('signing', 'sandbox');
  return { consumerKey: world.provisioned.consumerKey, signingKey: signing.privateKey!, certificate: signing.certificate! };
};
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { code?: string; message?: string });

describe('Cross-Border with a client certificate (crossBorder.mtls)', () => {
  it('request token + mTLS: the keyring certificate is presented and the call succeeds', async () => {
    const client = world.makeClient({ requestToken: requestToken(), crossBorder: { partnerId: 'SANDBOX_1234567', mtls: true } });
    const quote = await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00'));
    expect(quote.proposals?.proposal?.length).toBeGreaterThan(0);
    expect(world.sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'request-token', status: 200, decryption: 'encrypted' });
  });

  it('without a client certificate the handshake is refused, before any credential is looked at', async () => {
    const before = logMark(world.sandbox);
    const client = world.makeClient({ requestToken: requestToken(), crossBorder: { partnerId: 'SANDBOX_1234567', mtls: false }, maxRetries: 0 });
    const error = await failure(client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00')));
    expect(error?.code).toMatch(/^ERR_(MTLS_HANDSHAKE_REJECTED|CONNECTION)$/);
    expect(logSince(world.sandbox, before)).toEqual([]);
  });

  it('a certificate from another CA is refused too', async () => {
    const authority = await createCertificateAuthority({ commonName: 'not the sandbox CA' });
    const { privateKey, publicKey } = await generateRsaKeyPair(2048);
    const certificate = issueCertificate({ issuer: authority, publicKey, subject: { CN: 'stranger' }, usage: 'client' });
    const client = world.makeClient({ requestToken: requestToken(), crossBorder: { partnerId: 'SANDBOX_1234567', mtls: { cert: certificate, key: privateKey } }, maxRetries: 0 });
    const error = await failure(client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00')));
    expect(error?.code).toMatch(/^ERR_(MTLS_HANDSHAKE_REJECTED|CONNECTION)$/);
  });

  it('OAuth 2.0 + mTLS: token endpoint and API calls both present the certificate', async () => {
    const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const { clientId, kid } = world.sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), redirectUris: ['https://app.example/cb'] });
    const oauth2 = { clientId, kid, signingKey, issuer: world.sandbox.oauth2.issuer, tokenEndpoint: world.sandbox.oauth2.tokenEndpoint, scopes: ['payments'] };
    const environment = { crossBorder: { baseUrl: world.sandbox.oauth2.url } };
    const tokensBefore = world.sandbox.oauth2.tokenLog().length;
    const client = world.makeClient({ environment, oauth2, crossBorder: { partnerId: 'SANDBOX_1234567', mtls: true } });
    const quote = await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00'));
    expect(quote.proposals?.proposal?.length).toBeGreaterThan(0);
    expect(world.sandbox.log().at(-1)).toMatchObject({ auth: 'oauth2-dpop', status: 200 });
    expect(world.sandbox.oauth2.tokenLog().slice(tokensBefore).map((entry) => entry.outcome.split(':')[0])).toContain('issued');

    const without = world.makeClient({ environment, oauth2, crossBorder: { partnerId: 'SANDBOX_1234567', mtls: false }, maxRetries: 0 });
    const error = await failure(without.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00')));
    expect(error?.code).toMatch(/^ERR_(MTLS_HANDSHAKE_REJECTED|CONNECTION|TOKEN|OAUTH)/);
  });

  it('defaults: presented on the MTS EU/UK MTF and production hosts, not in their sandbox or elsewhere', () => {
    const { keyring } = world.provisioned;
    const base = { keyring, requestToken: requestToken() };
    for (const environment of ['mtf-eu', 'production-uk'] as const) {
      // production-uk reads the keyring's production keys: give the certificate explicitly.
      const mtls = keyring.active('mtls', 'sandbox');
      // (encrypt: false: this keyring has no production JWE keys; only the transport is looked at.)
      expect(resolveConfig({ ...base, mtls, environment, crossBorder: { encrypt: false } }).crossBorder.transport.credentials, environment).toBe(mtls);
      expect(resolveConfig({ ...base, mtls, environment, crossBorder: { encrypt: false, mtls: false } }).crossBorder.transport.credentials).toBeUndefined();
    }
    for (const environment of ['sandbox-eu', 'sandbox'] as const) {
      expect(resolveConfig({ ...base, environment }).crossBorder.transport.credentials, environment).toBeUndefined();
    }
    expect(() => resolveConfig({ requestToken: requestToken(), environment: 'sandbox', crossBorder: { mtls: true } })).toThrow(/no certificate/);
  });
});

describe('a keyring rotation of the mTLS certificate, with Cross-Border requests in flight', () => {
  const quote = (client: McapiClient) => client.crossBorder.quotes.create(quoteRequest(`09${digits(10)}ACFQ`, '10.00'));

  // keytool rotate/import/activate and keyring.reload() while two workers send quotes, then the
  // old certificate revoked: 0 failures, every call authenticated by `auth`, the Cross-Border
  // listener saw the old certificate and then only the new one, and after the revocation (which
  // refuses the old certificate on connections already open too) the client still succeeds.
  async function expectFollowedRotation(client: McapiClient, auth: string) {
    let next!: RotatedKey;
    const { failures, entries } = await whileRequestsFlow(world.sandbox, () => quote(client), async () => {
      next = await rotateMtlsCertificate(world.sandbox, world.provisioned.dir);
      await world.provisioned.keyring.reload();
    });
    expect(failures).toEqual([]);
    const seen = entries.filter((entry) => entry.listener === 'crossBorder');
    expect(seen.every((entry) => entry.auth === auth && entry.status === 200)).toBe(true);
    expectSwitched(seen.map((entry) => entry.clientCertificate), next);
    const old = world.sandbox.dashboard.listKeys().find((key) => key.purpose === 'mtls' && key.certificateFingerprint === next.replacedSeenAs)!;
    world.sandbox.dashboard.revokeKey(old.id);
    const afterRevocation = await Promise.allSettled([quote(client), quote(client), quote(client)]);
    expect(afterRevocation.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  }

  it('request token + mTLS from the keyring: 0 failures, the new certificate presented after the reload', async () => {
    const client = world.makeClient({ crossBorder: { partnerId: 'SANDBOX_1234567', auth: 'request-token', mtls: true } });
    await expectFollowedRotation(client, 'request-token');
  });

  it('OAuth 2.0 + mTLS from the keyring: 0 failures, the new certificate presented after the reload', async () => {
    const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const { clientId, kid } = world.sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), redirectUris: ['https://app.example/cb'] });
    const oauth2 = { clientId, kid, signingKey, issuer: world.sandbox.oauth2.issuer, tokenEndpoint: world.sandbox.oauth2.tokenEndpoint, scopes: ['payments'] };
    const client = world.makeClient({ environment: { crossBorder: { baseUrl: world.sandbox.oauth2.url } }, oauth2, crossBorder: { partnerId: 'SANDBOX_1234567', mtls: true } });
    await expectFollowedRotation(client, 'oauth2-dpop');
  });
});
