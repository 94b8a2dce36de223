import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectParameters, createMemoryNonceStore, createOAuth1Signer, percentEncode, verifyOAuth1 } from '../src/index.js';
import { consumerKey, loadTestKeyPair } from './helpers.js';

const { key, publicKey } = await loadTestKeyPair();
const nowMs = 1_700_000_000_000;

// Characters that may appear raw in a path segment or query component: unreserved, reserved
// sub-delims, space, non-ASCII, a lone `%`, and ready-made escapes (lower and upper case).
const pieces = [
  ...'abcXYZ019-._~!$\'()*+,;:@/? ',
  'ü',
  '€',
  '😀',
  '"',
  '%',
  '%20',
  '%2a',
  '%2A',
  '%3A',
  '%C3%BC',
  '%25',
  '%2B',
  '%E9',
];
const text = (pool: string[], maxLength: number) => fc.array(fc.constantFrom(...pool), { maxLength }).map((parts) => parts.join(''));
const pathPieces = pieces.filter((piece) => piece !== '?' && piece !== '/');
const queryPieces = pieces.filter((piece) => piece !== '&' && piece !== '=');

const hostArbitrary = fc
  .tuple(fc.constantFrom('api', 'sandbox.api', 'mtf.api.xbs'), fc.constantFrom('mastercard.com', 'mastercard.eu', 'example.net'))
  .chain(([sub, domain]) =>
    fc.array(fc.boolean(), { minLength: sub.length + domain.length + 1, maxLength: sub.length + domain.length + 1 }).map((upper) =>
      [...`${sub}.${domain}`].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''),
    ),
  );

const queryArbitrary = fc.array(
  fc.record({
    // A small key pool makes duplicates common.
    key: fc.oneof(fc.constantFrom('a', 'A', 'b', 'offset', 'c%40', 'k y'), text(queryPieces, 4)),
    value: fc.oneof(fc.constant(undefined), fc.constant(''), text(queryPieces, 6)),
  }),
  { maxLength: 6 },
);

const urlArbitrary = fc
  .record({
    scheme: fc.constantFrom('https', 'http', 'HTTPS'),
    host: hostArbitrary,
    port: fc.option(fc.constantFrom(80, 443, 8080, 8443), { nil: undefined }),
    path: fc.array(text(pathPieces, 5), { maxLength: 4 }),
    query: queryArbitrary,
  })
  .map(({ scheme, host, port, path, query }) => {
    const search = query.map(({ key, value }) => (value === undefined ? key : `${key}=${value}`)).join('&');
    return `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${path.join('/')}${query.length > 0 ? `?${search}` : ''}`;
  });

const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'post'),
  url: urlArbitrary,
  body: fc.oneof(fc.constant(undefined), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ maxLength: 40 })),
  signatureMethod: fc.constantFrom('RSA-SHA256' as const, 'RSA-PSS' as const),
});

type Request = { method: string; url: string; body?: string | Uint8Array | undefined };

const sign = (request: Request & { signatureMethod: 'RSA-SHA256' | 'RSA-PSS' }) =>
  createOAuth1Signer({ consumerKey, signingKey: key, signatureMethod: request.signatureMethod, now: () => nowMs }).authorize(request);

const verify = (request: Request, authorization: string) =>
  verifyOAuth1({
    ...request,
    headers: { authorization },
    lookupKey: (claimed) => (claimed === consumerKey ? publicKey : undefined),
    now: () => nowMs,
    nonceStore: createMemoryNonceStore(),
  });

// An independent notion of "the same request target": WHATWG-normalized scheme, host and path,
// and the query as a multiset of percent-decoded byte strings.
function sameTarget(a: string, b: string): boolean {
  const x = new URL(a);
  const y = new URL(b);
  return x.protocol === y.protocol && x.host === y.host && x.pathname === y.pathname && decodedQuery(x.search) === decodedQuery(y.search);
}
function decodedQuery(search: string): string {
  const decode = (part: string) => Buffer.from(part.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('hex');
  return search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? `${decode(pair)}=` : `${decode(pair.slice(0, equals))}=${decode(pair.slice(equals + 1))}`;
    })
    .sort()
    .join('&');
}

function replaceByte(textValue: string, index: number, code: number): string {
  return textValue.slice(0, index) + String.fromCharCode(code) + textValue.slice(index + 1);
}

describe('signer and verifier agree (property-based)', () => {
  it('the verifier accepts every request the signer signs, given as written or as a server rebuilds it', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const header = await sign(request);
        expect(await verify(request, header)).toMatchObject({ ok: true });
        // A server sees the WHATWG-serialized target that fetch sent.
        expect(await verify({ ...request, url: new URL(request.url).href }, header)).toMatchObject({ ok: true });
      }),
      { numRuns: 150 },
    );
  });

  it('rejects any single-byte change of the method, URL, body or Authorization header', async () => {
    const mutation = fc.record({
      target: fc.constantFrom('method', 'url', 'body', 'header'),
      position: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(requestArbitrary, mutation, async (request, { target, position, byte }) => {
        const header = await sign(request);
        if (target === 'header') {
          const index = position % header.length;
          fc.pre(header.charCodeAt(index) !== byte);
          expect(await verify(request, replaceByte(header, index, byte))).toMatchObject({ ok: false });
        } else if (target === 'body') {
          const bytes = Buffer.from(request.body ?? '');
          fc.pre(bytes.length > 0);
          const index = position % bytes.length;
          fc.pre(bytes[index] !== byte);
          bytes[index] = byte;
          expect(await verify({ ...request, body: bytes }, header)).toMatchObject({ ok: false, reason: 'body_hash_mismatch' });
        } else if (target === 'method') {
          const index = position % request.method.length;
          const method = replaceByte(request.method, index, byte);
          fc.pre(method !== request.method);
          const result = await verify({ ...request, method }, header);
          // Methods are compared uppercased, like Mastercard's Java signer and gateway.
          if (method.toUpperCase() !== request.method.toUpperCase()) expect(result).toMatchObject({ ok: false });
          else expect(result).toMatchObject({ ok: true });
        } else {
          const index = position % request.url.length;
          const url = replaceByte(request.url, index, byte);
          fc.pre(url !== request.url);
          const result = await verify({ ...request, url }, header);
          // Accepted only if it is the same request target (host case, default port, escape case).
          if (result.ok) expect(sameTarget(url, request.url), `${request.url} -> ${url}`).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a URL change that alters the request target is always rejected', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, fc.nat(), fc.constantFrom(...'abcxyz0189'), async (request, position, char) => {
        const header = await sign(request);
        // Change one byte of the path or a query letter/digit into another letter/digit.
        const start = request.url.indexOf('/', 8);
        const index = start + (position % (request.url.length - start));
        const original = request.url[index]!;
        fc.pre(/[a-z0-9]/i.test(original) && original.toLowerCase() !== char);
        const url = replaceByte(request.url, index, char.charCodeAt(0));
        fc.pre(!sameTarget(url, request.url));
        expect(await verify({ ...request, url }, header)).toMatchObject({ ok: false });
      }),
      { numRuns: 150 },
    );
  });
});

describe('encoders and parsers (property-based)', () => {
  it('percentEncode output is only unreserved characters and uppercase escapes, and decodes back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const encoded = percentEncode(value);
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encoded)).toBe(value);
      }),
    );
  });

  it('collectParameters gives the same string for any order of the same pairs', () => {
    const pair = fc.tuple(fc.constantFrom('a', 'A', 'b', 'a%20', 'x~'), fc.constantFrom('', '1', '%2a', 'z:y', '+'));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), fc.func(fc.integer()), (pairs, rank) => {
        const query = pairs.map(([key, value]) => `${key}=${value}`);
        const shuffled = [...query].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
        expect(collectParameters(shuffled.join('&'))).toBe(collectParameters(query.join('&')));
      }),
    );
  });

  it('verifyOAuth1 answers arbitrary Authorization headers with a typed refusal, never a throw', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 120 }).map((rest) => `OAuth ${rest}`),
      fc
        .array(fc.tuple(fc.constantFrom('oauth_nonce', 'oauth_signature', 'oauth_consumer_key', 'realm', 'x'), fc.string({ maxLength: 12 })), {
          maxLength: 8,
        })
        .map((params) => `OAuth ${params.map(([key, value]) => `${key}="${value}"`).join(',')}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const result = await verify({ method: 'GET', url: 'https://api.mastercard.com/x' }, authorization);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(typeof result.reason).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
