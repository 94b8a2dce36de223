import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJsonLossless, toCardNumber } from '../src/index.js';

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

  it('rejects malformed text with ERR_RESPONSE_INVALID, never a crash', () => {
    for (const text of ['{"a":12345678901234567', '[12345678901234567,]', '{"a" 12345678901234567}', '"\u0001" 12345678901234567', 'nul', '[1] x']) {
      expect(() => parseJsonLossless(text)).toThrowError(expect.objectContaining({ code: 'ERR_RESPONSE_INVALID' }));
    }
    fc.assert(
      fc.property(fc.string(), (junk) => {
        try {
          parseJsonLossless(`[12345678901234567${junk}`);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ERR_RESPONSE_INVALID');
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

describe('toCardNumber', () => {
  it('accepts 16 and 19 digit strings and bigints', () => {
    expect(toCardNumber('5291070000000000', 'cardNumber')).toBe(5291070000000000n);
    expect(toCardNumber(5291070000000000123n, 'cardNumber')).toBe(5291070000000000123n);
  });

  it('refuses numbers, wrong lengths and values beyond int64, naming the field but not the digits', () => {
    expect(() => toCardNumber(5291070000000000, 'cardNumber')).toThrowError(/cardNumber must be a bigint or a digit string/);
    expect(() => toCardNumber('52910700000000001', 'newCardNumber')).toThrowError(/newCardNumber must have 16 or 19 digits/);
    try {
      toCardNumber('9999999999999999999', 'cardNumber');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/int64/);
      expect((error as Error).message).not.toContain('9999999999999999999');
    }
  });
});
