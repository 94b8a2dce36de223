import { isMcapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import { baseUri, bodyHash, collectParameters, generateNonce, percentEncode, signatureBaseString } from '../src/index.js';

describe('percentEncode', () => {
  it('encodes everything but the RFC 3986 unreserved set, with uppercase hex', () => {
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~');
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
    expect(percentEncode('a b+c/d?e=f&g:h@i,j;k$l#m[n]o%p')).toBe('a%20b%2Bc%2Fd%3Fe%3Df%26g%3Ah%40i%2Cj%3Bk%24l%23m%5Bn%5Do%25p');
  });

  it('encodes every `!` and `*`, not only the first (the Node signer bug)', () => {
    expect(percentEncode('a!b!c*d*')).toBe('a%21b%21c%2Ad%2A');
  });

  it('encodes non-ASCII as UTF-8 bytes', () => {
    expect(percentEncode('ü€😀')).toBe('%C3%BC%E2%82%AC%F0%9F%98%80');
  });

  it('refuses an unpaired surrogate with a typed error', () => {
    expect(() => percentEncode('\ud800')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

describe('baseUri', () => {
  it('drops default ports only for their own scheme', () => {
    expect(baseUri('https://api.mastercard.com:443/a')).toBe('https://api.mastercard.com/a');
    expect(baseUri('http://api.mastercard.com:80/a')).toBe('http://api.mastercard.com/a');
    expect(baseUri('https://api.mastercard.com:80/a')).toBe('https://api.mastercard.com:80/a');
    expect(baseUri('http://api.mastercard.com:443/a')).toBe('http://api.mastercard.com:443/a');
  });

  it('lowercases scheme and host but keeps the path as written', () => {
    expect(baseUri('HTTPS://API.Mastercard.COM/Path/R%2fv%20x')).toBe('https://api.mastercard.com/Path/R%2fv%20x');
  });

  it('refuses relative URLs, other schemes, fragments and credentials', () => {
    for (const url of ['/relative', 'ftp://example.com/', 'https://example.com/a#frag', 'https://example.com/#', 'https://u:p@example.com/']) {
      expect(() => baseUri(url), url).toThrow(expect.objectContaining({ code: 'ERR_OAUTH_INVALID_URL' }));
    }
  });

  it('does not echo the URL in its errors (queries can carry account data)', () => {
    try {
      baseUri('ftp://example.com/?pan=5555555555554444');
    } catch (error) {
      expect(isMcapiError(error)).toBe(true);
      expect((error as Error).message).not.toContain('5555');
    }
  });
});

describe('collectParameters', () => {
  it('uses raw values when the query has no %xx escape', () => {
    expect(collectParameters('?b=plus+value&a=colon:value')).toBe('a=colon:value&b=plus+value');
  });

  it('decodes and re-encodes every parameter when any %xx escape is present', () => {
    // `+` is not a space; lowercase escapes become uppercase; `*` and `:` get encoded.
    expect(collectParameters('b=%2a2b3&a=x+y:z')).toBe('a=x%2By%3Az&b=%2A2b3');
    expect(collectParameters('k%7e=%7E')).toBe('k~=~');
  });

  it('keeps invalid UTF-8 escapes distinct instead of collapsing them', () => {
    expect(collectParameters('a=%E9')).toBe('a=%E9');
    expect(collectParameters('a=%E9')).not.toBe(collectParameters('a=%E8'));
  });

  it('keeps exact duplicates, skips empty segments and takes a lone % literally', () => {
    expect(collectParameters('a=1&a=1&&b')).toBe('a=1&a=1&b=');
    expect(collectParameters('a=%zz&b=%20')).toBe('a=%25zz&b=%20');
  });

  it('sorts keys before values (a key that is a prefix sorts first)', () => {
    expect(collectParameters('a-b=1&a=2&a=10')).toBe('a=10&a=2&a-b=1');
  });

  it('merges oauth parameters with raw values', () => {
    expect(collectParameters('z=1', { oauth_consumer_key: 'abc!123' })).toBe('oauth_consumer_key=abc!123&z=1');
  });
});

describe('signatureBaseString', () => {
  it('uppercases the method and encodes base URI and parameters', () => {
    expect(signatureBaseString('post', 'https://Example.com:443?b=2&a=1', { oauth_nonce: 'n' })).toBe(
      'POST&https%3A%2F%2Fexample.com%2F&a%3D1%26b%3D2%26oauth_nonce%3Dn',
    );
  });

  it('signs what fetch sends: spaces and non-ASCII in the URL are percent-encoded first', () => {
    expect(signatureBaseString('GET', 'https://example.com/a b?q=ü', {})).toBe('GET&https%3A%2F%2Fexample.com%2Fa%2520b&q%3D%25C3%25BC');
  });
});

describe('bodyHash', () => {
  it('hashes bytes exactly', () => {
    // Expected value from: printf '\xff\x00' | openssl dgst -sha256 -binary | base64
    expect(bodyHash(new Uint8Array([0xff, 0x00]))).toBe('6l2/lZbRh+lQDyPppoAQlHU0HPToH34EP32XFSwQdy8=');
  });

  it('refuses bodies that are not strings or bytes', () => {
    expect(() => bodyHash({} as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

describe('generateNonce', () => {
  it('gives 16 alphanumerics', () => {
    for (let index = 0; index < 100; index++) expect(generateNonce()).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('uses all 62 characters without favouring the first ones (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const samples = 62 * 2000;
    let text = '';
    while (text.length < samples) text += generateNonce();
    for (const char of text.slice(0, samples)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Chi-square with 61 degrees of freedom: 100 is beyond p = 0.001. A `byte % 62` mapping gives
    // the first 8 characters 5/4 of the others' weight: chi-square ≈ 1 900 here.
    let chi = 0;
    for (const count of counts.values()) chi += (count - 2000) ** 2 / 2000;
    expect(chi).toBeLessThan(100);
  });
});
