// Issue #14 §1: Benefit Allocation's OAuth 1.0a product (sandbox.api / api.mastercard.com under
// /loyalty/benefits): the same operations and bodies, JWE in `encryptedData`, authenticated by an
// OAuth 1.0a signature over the exact encrypted bytes; the sandbox serves it on its OAuth 1.0a
// listener and checks body hash, nonce and signature.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../src/index.js';
import { resolveConfig } from '../src/config/resolve-config.js';
import { logMark, logSince, randomPan, today, type World, worldPerFile } from './helpers.js';

const files = worldPerFile({}, { requestTokenEnabled: true });

const oauth1Client = (more: Parameters<World['makeClient']>[0] = {}) =>
  files.world.makeClient({
    environment: { benefitAllocation: { baseUrl: files.world.sandbox.urls.benefitAllocationOAuth1 }, crossBorder: { baseUrl: files.world.sandbox.urls.crossBorder } },
    benefitAllocation: { auth: 'oauth1' },
    ...more,
  });

describe("Benefit Allocation, auth: 'oauth1'", () => {
  it('assigns and replaces a segment with a 19-digit PAN, signed over the encrypted body, on the OAuth 1.0a listener', async () => {
    const bas = oauth1Client().benefitAllocation;
    const pan = randomPan(19);
    const before = logMark(files.world.sandbox);
    const assigned = await bas.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    expect(assigned.bundles?.map((bundle) => bundle.code)).toEqual(['PC4657', 'PC6323']);
    await bas.replaceSegment({ cardNumber: pan, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() });
    const entries = logSince(files.world.sandbox, before);
    expect(entries.map((entry) => [entry.listener, entry.auth, entry.decryption, entry.response, entry.status])).toEqual([
      ['benefitAllocation', 'oauth1', 'encrypted', 'encrypted', 200],
      ['benefitAllocation', 'oauth1', 'encrypted', 'encrypted', 200],
    ]);
    // Both products are one service: the card assigned over OAuth 1.0a is there over mTLS too.
    await expect(
      files.world.client.benefitAllocation.cancelSegment({ cardNumber: pan, segments: [{ code: 'PRT', expiryDate: today() }] }),
    ).resolves.toBeDefined();
    expect(files.world.sandbox.log().at(-1)).toMatchObject({ auth: 'mtls', status: 200 });
  });

  it('a signature from a key the dashboard does not know is refused: 401 AuthenticationError', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const bas = oauth1Client({ oauth1: { consumerKey: files.world.provisioned.consumerKey, signingKey: privateKey }, maxRetries: 0 }).benefitAllocation;
    const error = await bas.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(files.world.sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', status: 401 });
  });

  it('named environments pick the OAuth 1.0a product host; mTLS stays the default', () => {
    const signing = files.world.provisioned.keyring.active('signing', 'sandbox');
    const oauth1 = { consumerKey: files.world.provisioned.consumerKey, signingKey: signing.privateKey! };
    const encryption = { encryptionKey: files.world.provisioned.keyring.active('request-encryption', 'sandbox').certificate!, decryptionKeys: () => files.world.provisioned.keyring.decryptionKeys('sandbox') };
    const sandbox = resolveConfig({ environment: 'sandbox', oauth1, encryption, benefitAllocation: { auth: 'oauth1' } });
    expect(sandbox.benefitAllocation.baseUrl).toBe('https://sandbox.api.mastercard.com/loyalty/benefits');
    expect(sandbox.benefitAllocation.auth.auth?.method).toBe('oauth1');
    expect(sandbox.benefitAllocation.transport.credentials).toBeUndefined();
    expect(sandbox.benefitAllocation.unavailable).toBeUndefined();
    const production = resolveConfig({ environment: 'production', oauth1, encryption, benefitAllocation: { auth: 'oauth1' } });
    expect(production.benefitAllocation.baseUrl).toBe('https://api.mastercard.com/loyalty/benefits');
    const mtls = resolveConfig({ environment: 'sandbox', oauth1, encryption, mtls: files.world.provisioned.keyring.active('mtls', 'sandbox') });
    expect(mtls.benefitAllocation.baseUrl).toBe('https://mtf.services.mastercard.com/loyalty/benefits');
    expect(mtls.benefitAllocation.auth.auth).toBeUndefined();
    // Without signing credentials the group names what is missing.
    expect(resolveConfig({ environment: 'sandbox', encryption, benefitAllocation: { auth: 'oauth1' } }).benefitAllocation.unavailable).toMatch(/oauth1/);
    expect(() => resolveConfig({ environment: 'sandbox', benefitAllocation: { auth: 'basic' as never } })).toThrow(/"mtls" or "oauth1"/);
  });
});
