import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJsonLossless } from '../src/index.js';

// The lossless JSON used by @mcapi/client (bigint mode) and @mcapi/sandbox (string mode).
const stringMode = (text: string) => parseJsonLossless(text, { longIntegers: 'string' });

describe('lossless JSON', () => {
  it('reads a 19-digit PAN as an exact bigint and writes it back as a JSON integer', () => {
    const text = '{"cardNumber":5291070000000000123,"n":5,"x":1.5,"s":"9999999999999999999"}';
    const value = parseJsonLossless(text) as Record<string, unknown>;
    expect(value.cardNumber).toBe(5291070000000000123n);
    expect(value.n).toBe(5);
    expect(value.x).toBe(1.5);
    expect(value.s).toBe('9999999999999999999');
    expect(stringifyJsonLossless(value)).toBe(text);
  });

  it('keeps safe 16-digit integers as numbers and unsafe ones as bigint', () => {
    expect(parseJsonLossless('[5291070000000000, 9007199254740993, -9007199254740993]')).toEqual([
      5291070000000000,
      9007199254740993n,
      -9007199254740993n,
    ]);
  });

  it('agrees with JSON.parse on any JSON value (unsafe integers come back as the same bigint)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = `[${' '.repeat(1)}${JSON.stringify(value)}, 12345678901234567]`;
        const parsed = parseJsonLossless(text) as unknown[];
        // fast-check's integers may exceed 2^53: those arrive as bigint with the same value.
        const asNumbers = JSON.parse(JSON.stringify(parsed[0], (_key, item) => (typeof item === 'bigint' ? Number(item) : item)));
        expect(asNumbers).toEqual(JSON.parse(JSON.stringify(value)));
        expect(parsed[1]).toBe(12345678901234567n);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips arbitrary bigints inside arbitrary structures', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.string(), (big, key) => {
        const text = stringifyJsonLossless({ [key]: [big, { big }] });
        const back = parseJsonLossless(text) as Record<string, [bigint | number, { big: bigint | number }]>;
        expect(BigInt(back[key]![0])).toBe(big);
        expect(BigInt(back[key]![1].big)).toBe(big);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects malformed text with ERR_JSON_INVALID, never a crash', () => {
    for (const text of ['{"a":12345678901234567', '[12345678901234567,]', '{"a" 12345678901234567}', '"\u0001" 12345678901234567', 'nul', '[1] x']) {
      expect(() => parseJsonLossless(text)).toThrowError(expect.objectContaining({ code: 'ERR_JSON_INVALID' }));
    }
    fc.assert(
      fc.property(fc.string(), (junk) => {
        try {
          parseJsonLossless(`[12345678901234567${junk}`);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ERR_JSON_INVALID');
        }
      }),
    );
  });

  it('keeps a "__proto__" member as data', () => {
    const value = parseJsonLossless('{"__proto__":{"polluted":true},"n":12345678901234567}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('omits undefined members and refuses non-finite numbers', () => {
    expect(stringifyJsonLossless({ a: undefined, b: [undefined], c: 'x' })).toBe('{"b":[null],"c":"x"}');
    expect(() => stringifyJsonLossless({ a: Number.NaN })).toThrowError(/body\.a/);
  });
});

describe('parseJsonLossless with longIntegers: string', () => {
  it('keeps integers of 16+ digits exact as digit strings', () => {
    expect(stringMode('{"a":5291070000000000123,"b":[9007199254740993,-1234567890123456]}')).toEqual({
      a: '5291070000000000123',
      b: ['9007199254740993', '-1234567890123456'],
    });
  });

  it('parses everything else exactly like JSON.parse', () => {
    const samples = [
      '{"n":123456789012345,"f":1234567890123456.5,"e":1.2345678901234568e+33,"s":"5291070000000000123","t":true,"z":null}',
      '[1,-2,3.5,"a\\"1234567890123456789\\"",{"x":{"y":[]}}]',
      '"plain"',
      '0',
    ];
    for (const sample of samples) expect(stringMode(sample)).toEqual(JSON.parse(sample));
  });

  it('rejects what JSON.parse rejects', () => {
    for (const bad of ['{', '{"a":}', "{'a':1}", '[1,]']) expect(() => stringMode(bad)).toThrow();
  });
});

describe('parseJsonLossless (property-based)', () => {
  it('agrees with JSON.parse on any JSON without long integers', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        // fc.json() numbers are doubles; skip texts holding 16+ digit integer literals (the one
        // place the parsers are meant to differ).
        fc.pre(!/(^|[^\d.eE+-])-?\d{16,}(?![\d.eE])/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
        expect(stringMode(text)).toEqual(JSON.parse(text));
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
        expect(stringMode(text)).toEqual({ [key]: [0, literal, { inner: literal }] });
      }),
      { numRuns: 300 },
    );
  });
});

describe('parse errors reveal nothing of the text', () => {
  it('neither the message nor a cause quotes the input (it may be a decrypted payload)', () => {
    for (const text of ['{"pan":"5291070000000000123" oops}', 'secret-token-value', '["unterminated \\x"]', '{"a":12345678901234567,"s":"\\q-secret"}']) {
      let caught: unknown;
      try {
        parseJsonLossless(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'ERR_JSON_INVALID' });
      const seen = JSON.stringify({ message: (caught as Error).message, cause: String((caught as Error).cause) });
      expect(seen).not.toMatch(/5291070000000000123|secret/);
    }
  });
});
