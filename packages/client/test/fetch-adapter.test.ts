// openapi-fetch, generated from our OpenAPI documents, driven through createMastercardFetch
// against the sandbox: the adapter adds mTLS, OAuth 1.0a signatures and JWE by path.
import { payloadPresets } from '@mcapi/jwe';
import createOpenApiClient from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BenefitAllocationPaths, createMastercardFetch, type CrossBorderPaths, type MastercardFetch } from '../src/index.js';
import { rotateResponseKey } from '../demo/provision.js';
import { digits, randomPan, startWorld, today, type World } from './helpers.js';

let world: World;
const fetches: MastercardFetch[] = [];
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await Promise.all(fetches.map((f) => f.close()));
  await world?.close();
});
// A failed assertion must not leave a fault rule active for the next test.
afterEach(() => {
  world?.sandbox.dashboard.clearFaults();
});

describe('createMastercardFetch with openapi-fetch', () => {
  it('signs with OAuth 1.0a and encrypts Cross-Border bodies in the encrypted_payload wrapper', async () => {
    const { keyring, consumerKey } = world.provisioned;
    const signing = keyring.active('signing', 'sandbox');
    const encryption = keyring.active('request-encryption', 'sandbox');
    const fetch = createMastercardFetch({
      ca: world.sandbox.caCertificate,
      oauth1: { consumerKey, signingKey: signing.privateKey! },
      encryption: { encryptionKey: encryption.certificate!, decryptionKeys: () => keyring.decryptionKeys('sandbox') },
      encryptionRules: [{ path: /\/crossborder/, ...payloadPresets.crossBorder }],
    });
    fetches.push(fetch);
    const api = createOpenApiClient<CrossBorderPaths>({ baseUrl: world.sandbox.urls.crossBorder, fetch });
    const reference = `09${digits(10)}ACFQ`;
    const quote = await api.POST('/send/v1/partners/{partner-id}/crossborder/quotes', {
      params: { path: { 'partner-id': 'SANDBOX_1234567' } },
      body: {
        quoterequest: {
          transaction_reference: reference,
          sender_account_uri: 'tel:+254108989',
          recipient_account_uri: 'ewallet:paypal_user011',
          payment_amount: { amount: '20.00', currency: 'USD' },
          payment_origination_country: 'USA',
          payment_type: 'P2P',
          quote_type: { forward: { receiver_currency: 'GBP', fees_included: 'true' } },
        },
      },
    });
    expect(quote.response.status).toBe(200);
    expect(quote.data?.quote?.transaction_reference).toBe(reference);

    const missing = await api.GET('/send/v1/partners/{partner-id}/crossborder/{payment-id}', {
      params: { path: { 'partner-id': 'SANDBOX_1234567', 'payment-id': 'rem_unknown' } },
    });
    expect(missing.response.status).toBe(404);
    expect(JSON.stringify(missing.error)).toContain('RESOURCE_UNKNOWN');
    const entries = world.sandbox.log().filter((entry) => entry.listener === 'crossBorder').slice(-2);
    expect(entries.map((entry) => entry.auth)).toEqual(['oauth1', 'oauth1']);
    expect(entries[0]?.decryption).toBe('encrypted');
  });

  it('calls Benefit Allocation over mTLS with {"encryptedData": JWE} both ways', async () => {
    const { keyring } = world.provisioned;
    const encryption = keyring.active('request-encryption', 'sandbox');
    const fetch = createMastercardFetch({
      mtls: keyring.active('mtls', 'sandbox'),
      ca: world.sandbox.caCertificate,
      encryption: { encryptionKey: encryption.certificate!, decryptionKeys: () => keyring.decryptionKeys('sandbox') },
      encryptionRules: [{ path: /\/loyalty\/benefits\//, ...payloadPresets.encryptedData }],
    });
    fetches.push(fetch);
    const api = createOpenApiClient<BenefitAllocationPaths>({ baseUrl: world.sandbox.urls.benefitAllocation, fetch });
    // openapi-fetch serialises with JSON.stringify, which cannot write a bigint: a 16-digit PAN
    // below 2^53 travels as a number here (the typed client is the way for 19-digit PANs).
    const { data, response } = await api.POST('/card-segments', {
      body: { cardNumber: Number(randomPan()) as unknown as string, segments: [{ code: 'DART', effectiveDate: today() }] },
    });
    expect(response.status).toBe(200);
    expect(data?.bundles?.map((bundle) => bundle.code)).toEqual(['PC4657', 'PC6323']);

    // The same fetch after a response-key rotation: answers now encrypted to the new key decrypt,
    // because the keyring function is consulted per response (no fetch rebuilt).
    const { newKid } = await rotateResponseKey(world.sandbox, world.provisioned);
    expect(keyring.decryptionKeys('sandbox').has(newKid)).toBe(true);
    const after = await api.POST('/card-segments', {
      body: { cardNumber: Number(randomPan()) as unknown as string, segments: [{ code: 'DART', effectiveDate: today() }] },
    });
    expect(after.response.status).toBe(200);
    expect(after.data?.bundles?.map((bundle) => bundle.code)).toEqual(['PC4657', 'PC6323']);
    expect(world.sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', status: 200, decryption: 'encrypted' });
  });

  it('enforces its timeout option on the connection pool (no per-request timer)', async () => {
    const { keyring } = world.provisioned;
    const fetch = createMastercardFetch({ mtls: keyring.active('mtls', 'sandbox'), ca: world.sandbox.caCertificate, timeout: 300, maxRetries: 0 });
    fetches.push(fetch);
    world.sandbox.dashboard.addFault({ listener: 'benefitAllocation', path: '/loyalty/benefits/cards', latencyMs: 1_500, times: 1 });
    // The fault answers after 1.5 s: ERR_HEADERS_TIMEOUT can only come from the 300 ms timeout.
    await expect(fetch(`${world.sandbox.urls.benefitAllocation}/cards`, { method: 'PUT', body: '{}' })).rejects.toMatchObject({
      code: 'ERR_HEADERS_TIMEOUT',
      message: expect.stringContaining('raise the "timeout" option'),
    });
  });
});
