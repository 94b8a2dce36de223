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
