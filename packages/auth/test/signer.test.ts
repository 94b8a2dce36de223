import { type KeyObject, constants, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withThreadPoolHeld } from '@mcapi/test-kit';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  createMemoryNonceStore,
  createOAuth1Signer,
  getAuthorizationHeader,
  signatureBaseString,
  verifyOAuth1,
} from '../src/index.js';
import { consumerKey, headerParams, loadTestKeyPair, vector, vectors } from './helpers.js';

const { key, publicKey } = await loadTestKeyPair();
const fixed = { now: () => 1_626_728_330_000, nonce: () => 'Wpe3LF09z1e3xQRI' };
const verifyWith = (header: string, request: { method: string; url: string; body?: string | Uint8Array }, now = fixed.now) =>
  verifyOAuth1({ ...request, headers: { authorization: header }, lookupKey: () => publicKey, now, nonceStore: createMemoryNonceStore() });

describe('createOAuth1Signer', () => {
  it('writes the header Mastercard expects: raw values, only the signature percent-encoded', async () => {
    const header = await createOAuth1Signer({ consumerKey, signingKey: key, ...fixed }).authorize({
      method: 'POST',
      url: 'https://api.mastercard.com/a',
      body: '{"a":1}',
    });
    expect(header).toMatch(
      /^OAuth oauth_consumer_key="abc-abc-abc!123",oauth_nonce="Wpe3LF09z1e3xQRI",oauth_signature_method="RSA-SHA256",oauth_timestamp="1626728330",oauth_version="1.0",oauth_body_hash="[A-Za-z0-9+/=]{44}",oauth_signature="(?:[A-Za-z0-9]|%2B|%2F|%3D)+"$/,
    );
    expect(headerParams(header).oauth_body_hash).toBe(bodyHash('{"a":1}'));
  });

  it('hashes a bytes body exactly like the same text', async () => {
    const signer = createOAuth1Signer({ consumerKey, signingKey: key, ...fixed });
    const request = { method: 'POST', url: 'https://api.mastercard.com/a' };
    const text = await signer.authorize({ ...request, body: '{"foõ":"bar"}' });
    const bytes = await signer.authorize({ ...request, body: Buffer.from('{"foõ":"bar"}', 'utf8') });
    expect(bytes).toBe(text);
    expect(headerParams(text).oauth_body_hash).toBe(vectors.bodyHash[2]!.expected);
  });

  it('uses a fresh nonce and the current time for every request', async () => {
    let now = 1_700_000_000_000;
    const signer = createOAuth1Signer({ consumerKey, signingKey: key, now: () => now });
    const first = headerParams(await signer.authorize({ method: 'GET', url: 'https://api.mastercard.com/' }));
    now += 5_000;
    const second = headerParams(await signer.authorize({ method: 'GET', url: 'https://api.mastercard.com/' }));
    expect(first.oauth_nonce).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(second.oauth_nonce).not.toBe(first.oauth_nonce);
    expect(Number(second.oauth_timestamp) - Number(first.oauth_timestamp)).toBe(5);
  });

  it('signs RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt', async () => {
    const request = { method: 'POST', url: 'https://api.mastercard.com/pss?x=1', body: '{}' };
    const header = await createOAuth1Signer({ consumerKey, signingKey: key, signatureMethod: 'RSA-PSS', ...fixed }).authorize(request);
    const params = headerParams(header);
    expect(params.oauth_signature_method).toBe('RSA-PSS');
    const { oauth_signature: signature, ...signed } = params;
    const base = signatureBaseString(request.method, request.url, signed);
    const bytes = Buffer.from(decodeURIComponent(signature!), 'base64');
    const check = (saltLength: number) =>
      verify('sha256', Buffer.from(base), { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, bytes);
    expect(check(32)).toBe(true);
    expect(check(20)).toBe(false);
    expect(await verifyWith(header, request)).toMatchObject({ ok: true, signatureMethod: 'RSA-PSS' });
  });

  it('signs through an async sign function (HSM/KMS) with the same result as the key', async () => {
    const entry = vectors.fullRequest[0]!;
    const seen: Uint8Array[] = [];
    const signer = createOAuth1Signer({
      consumerKey: entry.consumerKey,
      signingKey: async (data) => {
        seen.push(data);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return sign('sha256', data, key);
      },
      now: () => Number(entry.timestamp) * 1000,
      nonce: () => entry.nonce,
    });
    const header = await signer.authorize({ method: entry.method, url: entry.url });
    expect(headerParams(header).oauth_signature).toBe(entry.expectedSignatureHeaderValue);
    expect(Buffer.from(seen[0]!).toString('utf8')).toMatch(/^GET&https%3A%2F%2Fapi.mastercard.com%2Fabc%2F%25123%2Fservice&/);
  });

  it('signs the same on the thread pool (offloadSigning) as on the event loop', async () => {
    const entry = vectors.fullRequest[1]!;
    for (const signatureMethod of ['RSA-SHA256', 'RSA-PSS'] as const) {
      const make = (offloadSigning: boolean | 'auto') =>
        createOAuth1Signer({ consumerKey: entry.consumerKey, signingKey: key, signatureMethod, offloadSigning, ...fixed });
      const request = { method: entry.method, url: entry.url };
      const offloaded = await make(true).authorize(request);
      // 'auto' alone signs inline; 'auto' in a batch of 8 sends the overlapping ones to the pool.
      const autoBatch = await Promise.all(Array.from({ length: 8 }, () => make('auto').authorize(request)));
      for (const header of [offloaded, await make('auto').authorize(request), ...autoBatch]) {
        if (signatureMethod === 'RSA-SHA256') expect(headerParams(header).oauth_signature).toBe(entry.expectedSignatureHeaderValue);
        expect(await verifyWith(header, request)).toMatchObject({ ok: true, signatureMethod });
      }
    }
    expect(() => createOAuth1Signer({ consumerKey, signingKey: key, offloadSigning: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('reports a failing or misbehaving sign function as ERR_OAUTH_SIGNING_FAILED', async () => {
    const request = { method: 'GET', url: 'https://api.mastercard.com/' };
    const failing = createOAuth1Signer({ consumerKey, signingKey: async () => Promise.reject(new Error('KMS down')) });
    await expect(failing.authorize(request)).rejects.toMatchObject({ code: 'ERR_OAUTH_SIGNING_FAILED', cause: { message: 'KMS down' } });
    const wrongType = createOAuth1Signer({ consumerKey, signingKey: async () => 'base64' as unknown as Uint8Array });
    await expect(wrongType.authorize(request)).rejects.toMatchObject({ code: 'ERR_OAUTH_SIGNING_FAILED' });
  });

  it('refuses bad options with typed errors naming the option', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const cases: [() => unknown, string, RegExp][] = [
      [() => createOAuth1Signer({ consumerKey: '', signingKey: key }), 'ERR_INVALID_OPTION', /consumerKey/],
      [() => createOAuth1Signer({ consumerKey: 'a "b"', signingKey: key }), 'ERR_INVALID_OPTION', /consumerKey/],
      [() => createOAuth1Signer({ consumerKey, signingKey: ec }), 'ERR_KEY_UNSUPPORTED', /signingKey.*ec key/],
      [() => createOAuth1Signer({ consumerKey, signingKey: publicKey }), 'ERR_INVALID_OPTION', /signingKey is a public key/],
      [() => createOAuth1Signer({ consumerKey, signingKey: 'PEM' as unknown as KeyObject }), 'ERR_INVALID_OPTION', /signingKey/],
      [
        () => createOAuth1Signer({ consumerKey, signingKey: key, signatureMethod: 'HMAC-SHA1' as 'RSA-PSS' }),
        'ERR_INVALID_OPTION',
        /signatureMethod/,
      ],
    ];
    for (const [action, code, message] of cases) {
      expect(action).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
    }
  });

  it('refuses URLs that cannot be signed and bodies that are not bytes', async () => {
    const signer = createOAuth1Signer({ consumerKey, signingKey: key });
    for (const url of ['api.mastercard.com/x', 'ws://api.mastercard.com/', 'https://api.mastercard.com/x#part']) {
      await expect(signer.authorize({ method: 'GET', url })).rejects.toMatchObject({ code: 'ERR_OAUTH_INVALID_URL' });
    }
    await expect(signer.authorize({ method: 'GET /x', url: 'https://a.example/' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(
      signer.authorize({ method: 'POST', url: 'https://a.example/', body: { a: 1 } as unknown as string }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('getAuthorizationHeader (migration helper)', () => {
  it('takes the npm package arguments (PEM text) and produces a header the verifier accepts', async () => {
    const pem = readFileSync(vector('test_key.pem'), 'utf8');
    const url = 'https://api.mastercard.com:443/test?b=%2a&b=!&a=1';
    for (const signingKey of [pem, key]) {
      const header = getAuthorizationHeader(url, 'POST', '{"x":1}', consumerKey, signingKey);
      expect(await verifyWith(header, { method: 'POST', url, body: '{"x":1}' }, Date.now)).toMatchObject({ ok: true });
    }
  });

  it('hashes the empty string for a null payload', () => {
    const header = getAuthorizationHeader('https://api.mastercard.com/', 'GET', null, consumerKey, key);
    expect(headerParams(header).oauth_body_hash).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });
});

describe('offloadSigning: auto', () => {
  // How many of a batch of signatures finished before a setImmediate callback could run, with the
  // thread pool held: inline signing finishes them all first; pooled signing cannot finish any.
  async function finishedBeforeTimer(offloadSigning: boolean | 'auto'): Promise<number> {
    const signer = createOAuth1Signer({ consumerKey, signingKey: key, offloadSigning });
    const request = { method: 'POST', url: 'https://api.mastercard.com/x', body: 'x'.repeat(1024) };
    let settled = 0;
    let all!: Promise<unknown>;
    const seen = await withThreadPoolHeld(async () => {
      all = Promise.all(Array.from({ length: 64 }, () => signer.authorize(request).then(() => settled++)));
      return new Promise<number>((resolve) => setImmediate(() => resolve(settled)));
    });
    await all;
    expect(settled).toBe(64);
    return seen;
  }

  it('sends overlapping signatures to the thread pool, so the event loop runs meanwhile', async () => {
    expect(await finishedBeforeTimer(false)).toBe(64); // the control: inline blocks
    expect(await finishedBeforeTimer('auto')).toBe(0);
    expect(await finishedBeforeTimer(true)).toBe(0);
  });

  it('signs a lone request inline: it finishes with the thread pool held', async () => {
    const signer = createOAuth1Signer({ consumerKey, signingKey: key, offloadSigning: 'auto' });
    const header = await withThreadPoolHeld(() => signer.authorize({ method: 'GET', url: 'https://api.mastercard.com/x' }));
    expect(header).toMatch(/^OAuth oauth_consumer_key=/);
  });
});
