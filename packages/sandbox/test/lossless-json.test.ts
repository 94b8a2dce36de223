import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../src/http/lossless-json.js';

describe('parseJsonLossless', () => {
  it('keeps integers of 16+ digits exact as digit strings', () => {
    expect(parseJsonLossless('{"a":5291070000000000123,"b":[9007199254740993,-1234567890123456]}')).toEqual({
      a: '5291070000000000123',
      b: ['9007199254740993', '-1234567890123456'],
    });
  });

  it('parses everything else exactly like JSON.parse', () => {
    const samples = [
      '{"n":123456789012345,"f":1234567890123456.5,"e":12345678901234567e2,"s":"5291070000000000123","t":true,"z":null}',
      '[1,-2,3.5,"a\\"1234567890123456789\\"",{"x":{"y":[]}}]',
      '"plain"',
      '0',
    ];
    for (const sample of samples) expect(parseJsonLossless(sample)).toEqual(JSON.parse(sample));
  });

  it('rejects what JSON.parse rejects', () => {
    for (const bad of ['{', '{"a":}', "{'a':1}", '[1,]']) expect(() => parseJsonLossless(bad)).toThrow();
  });
});

describe('parseJsonLossless (property-based)', () => {
  it('agrees with JSON.parse on any JSON without long integers', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        // fc.json() numbers are doubles; skip texts holding 16+ digit integer literals (the one
        // place the parsers are meant to differ).
        fc.pre(!/(^|[^\d.eE+-])-?\d{16,}(?![\d.eE])/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
        expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every digit of random 16–19 digit integers wherever they sit', () => {
    const pan = fc.stringMatching(/^[1-9]\d{15,18}$/);
    fc.assert(
      fc.property(pan, fc.string(), fc.boolean(), (digits, key, negative) => {
        const literal = negative ? `-${digits}` : digits;
        const text = JSON.stringify({ [key]: [0, '__PAN__', { inner: '__PAN__' }] }).replaceAll('"__PAN__"', literal);
        expect(parseJsonLossless(text)).toEqual({ [key]: [0, literal, { inner: literal }] });
      }),
      { numRuns: 300 },
    );
  });
});
