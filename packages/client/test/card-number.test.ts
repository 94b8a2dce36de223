import { describe, expect, it } from 'vitest';
import { toCardNumber } from '../src/index.js';

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
