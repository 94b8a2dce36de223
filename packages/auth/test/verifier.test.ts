import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type VerifyOAuth1Options,
  createMemoryNonceStore,
  createOAuth1Signer,
  signatureBaseString,
  verifyOAuth1,
} from '../src/index.js';
import { consumerKey, headerParams, loadTestKeyPair } from './helpers.js';

const { key, publicKey } = await loadTestKeyPair();
const nowMs = 1_700_000_000_000;
const request = { method: 'POST', url: 'https://api.mastercard.com/send/v1/partners/P1/crossborder/payment?x=%2A&y=1', body: '{"amount":"10.00"}' };

async function signed(overrides: { nonce?: string; now?: number } = {}): Promise<string> {
  return createOAuth1Signer({
    consumerKey,
    signingKey: key,
    now: () => overrides.now ?? nowMs,
    nonce: () => overrides.nonce ?? 'Wpe3LF09z1e3xQRI',
  }).authorize(request);
}

function options(authorization: string | string[] | undefined, extra: Partial<VerifyOAuth1Options> = {}): VerifyOAuth1Options {
  return {
    ...request,
    headers: { authorization },
    lookupKey: (claimed) => (claimed === consumerKey ? publicKey : undefined),
    now: () => nowMs,
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

describe('verifyOAuth1', () => {
  it('accepts a signed request and reports who signed it', async () => {
    const result = await verifyOAuth1(options(await signed()));
    expect(result).toEqual({
      ok: true,
      consumerKey,
      signatureMethod: 'RSA-SHA256',
      nonce: 'Wpe3LF09z1e3xQRI',
      timestamp: nowMs / 1000,
      signatureBaseString: expect.stringMatching(/^POST&https%3A%2F%2Fapi.mastercard.com%2Fsend/),
    });
  });

  it('reads Headers objects, header arrays and spaces after commas', async () => {
    const header = await signed();
    expect(await verifyOAuth1(options(undefined, { headers: new Headers({ authorization: header }) }))).toMatchObject({ ok: true });
    expect(await verifyOAuth1(options([header]))).toMatchObject({ ok: true });
    expect(await verifyOAuth1(options(header.replaceAll('",', '", ')))).toMatchObject({ ok: true });
  });

  it('returns the acceptable signature base string when the signature does not match', async () => {
    const header = await signed();
    const tampered = { ...request, url: request.url.replace('y=1', 'y=2') };
    const result = await verifyOAuth1({ ...options(header), url: tampered.url });
    const { oauth_signature: _, ...params } = headerParams(header);
    expect(result).toEqual({
      ok: false,
      reason: 'invalid_signature',
      consumerKey,
      message: expect.stringContaining('signature'),
      signatureBaseString: signatureBaseString(tampered.method, tampered.url, params),
    });
  });

  it('refuses a replayed nonce, but only after the signature checked out', async () => {
    const nonceStore = createMemoryNonceStore();
    const header = await signed();
    const forged = header.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAA"');
    expect(await verifyOAuth1(options(forged, { nonceStore }))).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(await verifyOAuth1(options(header, { nonceStore }))).toMatchObject({ ok: true });
    expect(await verifyOAuth1(options(header, { nonceStore }))).toMatchObject({ ok: false, reason: 'nonce_replayed' });
  });

  it('uses a process-wide replay store by default', async () => {
    const header = await signed({ nonce: `default${Date.now()}` });
    const { nonceStore: _, ...withoutStore } = options(header);
    expect(await verifyOAuth1(withoutStore)).toMatchObject({ ok: true });
    expect(await verifyOAuth1(withoutStore)).toMatchObject({ ok: false, reason: 'nonce_replayed' });
  });

  it('refuses timestamps outside the window on both sides', async () => {
    expect(await verifyOAuth1(options(await signed({ now: nowMs - 301_000 })))).toMatchObject({ reason: 'timestamp_out_of_window' });
    expect(await verifyOAuth1(options(await signed({ now: nowMs + 301_000 })))).toMatchObject({ reason: 'timestamp_out_of_window' });
    expect(await verifyOAuth1(options(await signed({ now: nowMs - 299_000 })))).toMatchObject({ ok: true });
    expect(await verifyOAuth1(options(await signed({ now: nowMs - 30_000 }), { maxSkewSeconds: 10 }))).toMatchObject({
      reason: 'timestamp_out_of_window',
    });
  });

  it('refuses a body that is not the one signed', async () => {
    const result = await verifyOAuth1({ ...options(await signed()), body: '{"amount":"99.00"}' });
    expect(result).toMatchObject({ ok: false, reason: 'body_hash_mismatch', signatureBaseString: expect.any(String) });
  });

  it('refuses unknown consumer keys and keys of another project', async () => {
    const header = await signed();
    expect(await verifyOAuth1(options(header, { lookupKey: () => undefined }))).toMatchObject({ reason: 'unknown_consumer_key' });
    const other = createPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(await verifyOAuth1(options(header, { lookupKey: () => other }))).toMatchObject({ reason: 'invalid_signature' });
  });

  it('names what is missing or malformed in the header', async () => {
    const header = await signed();
    const cases: [string | string[] | undefined, string][] = [
      [undefined, 'missing_authorization'],
      [[header, header], 'malformed_authorization'],
      [header.replace('OAuth ', 'Bearer '), 'malformed_authorization'],
      [header.replace('OAuth ', 'oauth '), 'malformed_authorization'],
      [header.replace('oauth_nonce="Wpe3LF09z1e3xQRI"', 'oauth_nonce=Wpe3LF09z1e3xQRI'), 'malformed_authorization'],
      [`${header},oauth_nonce="again"`, 'malformed_authorization'],
      [`${header},realm="x"`, 'malformed_authorization'],
      [header.replace(/,oauth_nonce="[^"]+"/, ''), 'missing_parameter'],
      [header.replace(/oauth_body_hash="[^"]+"/, 'oauth_body_hash=""'), 'missing_parameter'],
      [header.replace('RSA-SHA256', 'HMAC-SHA1'), 'unsupported_signature_method'],
      [header.replace('oauth_version="1.0"', 'oauth_version="2.0"'), 'unsupported_version'],
      [header.replace(/oauth_timestamp="\d+"/, 'oauth_timestamp="-5"'), 'malformed_authorization'],
      // The same signature spelled with lowercase escapes is not accepted.
      [header.replace(/%2B|%2F|%3D/g, (sequence) => sequence.toLowerCase()), 'malformed_authorization'],
    ];
    for (const [authorization, reason] of cases) {
      expect(await verifyOAuth1(options(authorization)), String(authorization)).toMatchObject({ ok: false, reason });
    }
  });

  it('refuses a percent-encoded body hash (the gateway reads it literally)', async () => {
    const header = await signed();
    const encoded = header.replace(/oauth_body_hash="([^"]+)"/, (_, hash: string) => `oauth_body_hash="${encodeURIComponent(hash)}"`);
    expect(encoded).not.toBe(header);
    expect(await verifyOAuth1(options(encoded))).toMatchObject({ ok: false, reason: 'body_hash_mismatch' });
  });

  it('reports a URL it cannot check', async () => {
    expect(await verifyOAuth1({ ...options(await signed()), url: '/relative/only' })).toMatchObject({ ok: false, reason: 'invalid_url' });
  });
});

describe('security: the verifier does not trust the Host header', () => {
  const origin = 'https://api.mastercard.com';
  const target = '/send/v1/partners/P1/crossborder/payment?x=%2A&y=1';

  it('checks the signature over the expected origin and the request target as received', async () => {
    const result = await verifyOAuth1({ ...options(await signed()), expectedOrigin: `${origin}/`, url: target });
    expect(result).toMatchObject({ ok: true, signatureBaseString: expect.stringContaining(percentEncodeOrigin(origin)) });
  });

  it('refuses a request signed for another host, whatever Host header came with it', async () => {
    // Signed for evil.example and sent with `Host: evil.example`: the old README example built the
    // URL from that header and accepted it.
    const elsewhere = { ...request, url: `https://evil.example${target}` };
    const header = await createOAuth1Signer({ consumerKey, signingKey: key, now: () => nowMs, nonce: () => 'Hx9eLF09z1e3xQRI' }).authorize(elsewhere);
    const fromHost = { ...options(header), headers: { authorization: header, host: 'evil.example' } };
    expect(await verifyOAuth1({ ...fromHost, expectedOrigin: origin, url: target })).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(await verifyOAuth1({ ...fromHost, expectedOrigin: origin, url: elsewhere.url })).toMatchObject({ ok: false, reason: 'invalid_url' });
    // An absolute-form or scheme-relative request target naming another host is refused too.
    expect(await verifyOAuth1({ ...fromHost, expectedOrigin: origin, url: `//evil.example${target}` })).toMatchObject({ ok: false, reason: 'invalid_url' });
  });

  it('refuses an expected origin that is not scheme + host', async () => {
    for (const expectedOrigin of ['api.mastercard.com', 'ftp://api.mastercard.com', 'https://api.mastercard.com/base', 'https://u:p@api.mastercard.com', 42]) {
      await expect(verifyOAuth1({ ...options(await signed()), expectedOrigin: expectedOrigin as string, url: target })).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTION',
      });
    }
  });
});

const percentEncodeOrigin = (origin: string) => encodeURIComponent(origin);

describe('security: replay after flooding', () => {
  it('a captured request stays a replay however many other requests follow; a full store refuses them instead', async () => {
    const nonceStore = createMemoryNonceStore({ maxEntries: 3, now: () => nowMs });
    const captured = await signed({ nonce: 'captured000000000' });
    expect(await verifyOAuth1(options(captured, { nonceStore }))).toMatchObject({ ok: true });
    let refused = 0;
    for (let index = 0; index < 5; index++) {
      const flood = await signed({ nonce: `flood${index}00000000000` });
      await verifyOAuth1(options(flood, { nonceStore })).then(
        (result) => expect(result).toMatchObject({ ok: true }),
        (error: unknown) => {
          expect(error).toMatchObject({ code: 'ERR_REPLAY_STORE_FULL' });
          refused++;
        },
      );
    }
    expect(refused).toBe(3);
    expect(await verifyOAuth1(options(captured, { nonceStore }))).toMatchObject({ ok: false, reason: 'nonce_replayed' });
  });
});

describe('createMemoryNonceStore', () => {
  it('security: stays within maxEntries by refusing new nonces, never by forgetting one inside its window', () => {
    let now = 0;
    const store = createMemoryNonceStore({ maxEntries: 2, now: () => now });
    expect(store.claim('a', 1000)).toBe(true);
    expect(store.claim('b', 2000)).toBe(true);
    expect(() => store.claim('c', 1000)).toThrow(expect.objectContaining({ code: 'ERR_REPLAY_STORE_FULL', message: expect.stringContaining('Retry in 1 s') }));
    // The flood did not push the first nonces out: they are still replays.
    expect(store.claim('a', 1000)).toBe(false);
    expect(store.claim('b', 1000)).toBe(false);
    // Once a window ends its slot is free again (swept when needed), and only then.
    now = 1000;
    expect(store.claim('c', 1000)).toBe(true);
    expect(store.claim('b', 1000)).toBe(false);
    expect(() => store.claim('d', 1000)).toThrow(expect.objectContaining({ code: 'ERR_REPLAY_STORE_FULL' }));
    now = 2000;
    expect(store.claim('d', 1000)).toBe(true);
  });

  it('refuses a ttl that is not a positive number of milliseconds', () => {
    const store = createMemoryNonceStore();
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      expect(() => store.claim('k', ttl)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
  });

  it('forgets nonces once their window has passed', () => {
    let now = 0;
    const store = createMemoryNonceStore({ now: () => now });
    expect(store.claim('n', 500)).toBe(true);
    now = 499;
    expect(store.claim('n', 500)).toBe(false);
    now = 500;
    expect(store.claim('n', 500)).toBe(true);
    now = 999;
    expect(store.claim('n', 500)).toBe(false);
  });
});
