// Issue #14 §4 at the client level: the explicit `proxy` option of createClient,
// createMastercardFetch and createAxiosInterceptors sends every call through a real CONNECT
// proxy (the test's own, counting its tunnels), with mTLS and signing intact end to end.
import { payloadPresets } from '@mcapi/jwe';
import { startConnectProxy, type TestProxy } from '@mcapi/test-services';
import axios from 'axios';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAxiosInterceptors, createClient, createMastercardFetch } from '../src/index.js';
import { quoteRequest, randomPan, startWorld, today, type World } from './helpers.js';

let world: World;
let via: TestProxy;
beforeAll(async () => {
  world = await startWorld();
  via = await startConnectProxy({ credentials: { username: 'svc', password: 'proxy-pass-77' } });
}, 60_000);
afterAll(async () => {
  await via?.close();
  await world?.close();
});

const proxy = () => ({ url: via.url, username: 'svc', password: 'proxy-pass-77' });
const hostOf = (url: string) => new URL(url).host;

describe('the proxy option', () => {
  it('createClient: Benefit Allocation (mTLS) and Cross-Border (OAuth 1.0a) both go through the tunnel', async () => {
    const client = world.makeClient({ proxy: proxy() });
    const before = via.tunnels.length;
    await client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] });
    await client.crossBorder.quotes.create(quoteRequest(`09${Date.now()}ACFQ`, '10.00'));
    expect(via.tunnels.slice(before)).toEqual([hostOf(world.sandbox.urls.benefitAllocation), hostOf(world.sandbox.urls.crossBorder)]);
    expect(world.sandbox.log().slice(-2).map((entry) => entry.auth)).toEqual(['mtls', 'oauth1']);
  });

  it('createClient: a wrong proxy password is ERR_PROXY and the password is nowhere in the error', async () => {
    const client = world.makeClient({ proxy: { url: via.url, username: 'svc', password: 'not-the-pass-99' }, maxRetries: 0 });
    const error = await client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PROXY' });
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-pass-99');
  });

  it('createClient refuses proxy next to a dispatcher (the dispatcher routes its own requests)', () => {
    expect(() => createClient({ environment: 'sandbox', proxy: via.url, dispatcher: new Agent() })).toThrow(/proxy cannot be combined with dispatcher/);
  });

  it('createMastercardFetch and createAxiosInterceptors: through the tunnel too', async () => {
    const { keyring } = world.provisioned;
    const encryption = { encryptionKey: keyring.active('request-encryption', 'sandbox').certificate!, decryptionKeys: () => keyring.decryptionKeys('sandbox') };
    const rules = [{ path: /\/loyalty\/benefits\//, ...payloadPresets.encryptedData }];
    const before = via.tunnels.length;
    const fetch = createMastercardFetch({ mtls: keyring.active('mtls', 'sandbox'), ca: world.sandbox.caCertificate, proxy: proxy(), encryption, encryptionRules: rules });
    const body = JSON.stringify({ cardNumber: Number(randomPan()), segments: [{ code: 'DART', effectiveDate: today() }] });
    const response = await fetch(`${world.sandbox.urls.benefitAllocation}/card-segments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    await fetch.close();
    const interceptors = createAxiosInterceptors({ mtls: keyring.active('mtls', 'sandbox'), ca: world.sandbox.caCertificate, proxy: proxy(), encryption, encryptionRules: rules });
    const api = axios.create({ baseURL: world.sandbox.urls.benefitAllocation });
    interceptors.install(api);
    expect((await api.post('/card-segments', { cardNumber: BigInt(randomPan()), segments: [{ code: 'DART', effectiveDate: today() }] })).status).toBe(200);
    await interceptors.close();
    expect(via.tunnels.slice(before)).toEqual([hostOf(world.sandbox.urls.benefitAllocation), hostOf(world.sandbox.urls.benefitAllocation)]);
    expect(world.sandbox.log().slice(-2).map((entry) => entry.auth)).toEqual(['mtls', 'mtls']);
  });
});
