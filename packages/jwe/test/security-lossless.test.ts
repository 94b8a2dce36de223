import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPayloadCipher,
  decrypt,
  decryptJson,
  encrypt,
  encryptJson,
  isJsonNumber,
  jsonNumber,
  numberText,
  parseJsonLossless,
  type PayloadCipherOptions,
  stringifyJsonLossless,
} from '../src/index.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// Issue #12 item 1: no path that parses or writes a body may change a number. The literals
// below are what JSON.parse / JSON.stringify alter: a 19-digit PAN, trailing zeros, exponents.
const exactBody = '{"cardNumber":5291070000000000123,"amount":105.10,"mid_rate":1.0,"fee":0,"big":1e400,"tiny":1E-7,"neg":-0,"id":-9223372036854775808}';
const utf8 = new TextDecoder();
const plaintextOf = async (token: unknown) => utf8.decode((await decrypt(token as string, { keys: privateKeyPkcs8 })).plaintext);

const jweOptions = { encryptionKey: certificate, decryptionKeys: privateKeyPkcs8 };
const fieldLevelOptions: Pick<PayloadCipherOptions, 'fieldLevel'> = {
  fieldLevel: { encryptionKey: certificate, decryptionKeys: privateKeyPkcs8 },
};

describe('security: lossless JSON text', () => {
  it('parse → stringify gives back the exact text (PAN, 105.10, 1.0, exponents, -0)', () => {
    const value = parseJsonLossless(exactBody) as Record<string, unknown>;
    expect(value.cardNumber).toBe(5291070000000000123n);
    expect(isJsonNumber(value.amount) && value.amount.text).toBe('105.10');
    expect(Number(value.amount)).toBe(105.1);
    expect(value.fee).toBe(0);
    expect(stringifyJsonLossless(value)).toBe(exactBody);
  });

  it('parse → modify → stringify keeps the text of every member not changed', () => {
    const value = parseJsonLossless(exactBody) as Record<string, unknown>;
    value.added = { n: 1.5 };
    delete value.fee;
    expect(stringifyJsonLossless(value)).toBe(`${exactBody.replace(',"fee":0', '').slice(0, -1)},"added":{"n":1.5}}`);
  });

  it('round-trips any number literal JSON allows, wherever it sits (property)', () => {
    const literal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9]\d{0,24})$/), fc.option(fc.stringMatching(/^\d{1,20}$/)), fc.option(fc.stringMatching(/^[eE][+-]?\d{1,3}$/)))
      .map(([negative, integer, fraction, exponent]) => `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}${exponent ?? ''}`);
    fc.assert(
      fc.property(literal, fc.string().filter((key) => key !== 's'), (number, key) => {
        const text = `{${JSON.stringify(key)}:[${number},{"x":${number}}],"s":"${number}"}`;
        expect(stringifyJsonLossless(parseJsonLossless(text))).toBe(text);
        expect(stringifyJsonLossless(parseJsonLossless(number))).toBe(number);
      }),
      { numRuns: 400 },
    );
  });

  it('jsonNumber() and numberText() give the exact literal; a forged literal is refused', () => {
    expect(stringifyJsonLossless({ amount: jsonNumber('105.10') })).toBe('{"amount":105.10}');
    expect(numberText((parseJsonLossless('{"mid_rate":1.0}') as { mid_rate: unknown }).mid_rate)).toBe('1.0');
    expect(numberText(5291070000000000123n)).toBe('5291070000000000123');
    expect(() => jsonNumber('1,"x":2')).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    const forged = Object.create(Object.getPrototypeOf(jsonNumber('1')), { text: { value: '1,"admin":true' } });
    expect(() => stringifyJsonLossless({ a: forged })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it('stringify leaves BigInt.prototype as it found it, also when the write fails', () => {
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
    stringifyJsonLossless({ a: 1n });
    expect(() => stringifyJsonLossless({ a: 1n, b: Number.NaN })).toThrowError(/body\.b/);
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
    expect(() => JSON.stringify({ a: 1n })).toThrow(TypeError);
  });

  it("a typed body's top-level bigint is written without touching BigInt.prototype, even while it writes", () => {
    // The typed client's card numbers sit at the top of the body: code that runs during the
    // write (a toJSON of the caller's own) sees the global untouched. A bigint nested deeper
    // still comes out exact, and the global is left as it was found.
    const seen: unknown[] = [];
    const probe = {
      toJSON: () => {
        seen.push(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON'));
        return 'probe';
      },
    };
    expect(stringifyJsonLossless({ pan: 5291070000000000123n, probe })).toBe('{"pan":5291070000000000123,"probe":"probe"}');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((descriptor) => descriptor === undefined)).toBe(true);
    expect(stringifyJsonLossless({ deep: [{ pan: 5291070000000000123n, amount: jsonNumber('105.10') }] })).toBe(
      '{"deep":[{"pan":5291070000000000123,"amount":105.10}]}',
    );
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
  });

  it('a number literal out of a value\'s place is invalid JSON, never a string key', () => {
    for (const text of ['{1.0:2}', '{12345678901234567890:1}', '[1.0:2]', '{"a":{1e5:true}}']) {
      expect(() => parseJsonLossless(text)).toThrowError(expect.objectContaining({ code: 'ERR_JSON_INVALID' }));
    }
    expect(parseJsonLossless(' [ 1.0 , {"a" : 105.10 } ] ')).toEqual([jsonNumber('1.0'), { a: jsonNumber('105.10') }]);
  });

  it('a malformed number literal in a value\'s place is invalid JSON, never a JsonNumber or bigint', () => {
    // The scan reads any run of digits, dots, signs and exponents as one literal; one that is not
    // a JSON number must not be swapped for a marker, which would make the text valid.
    const malformed = ['00.10', '01.0', '-01.50', '1.0.0', '1e', '1e+', '1.0e', '--1.0', '1-1.0', '1.0e5.0', '1.0-', '012345678901234567', '1.e5'];
    for (const literal of malformed) {
      for (const longIntegers of ['bigint', 'string'] as const) {
        expect(() => parseJsonLossless(`[${literal}]`, { longIntegers }), `${literal} (${longIntegers})`).toThrowError(
          expect.objectContaining({ code: 'ERR_JSON_INVALID' }),
        );
        expect(() => parseJsonLossless(`{"padding":"${'x'.repeat(300)}","n":${literal}}`, { longIntegers }), literal).toThrowError(
          expect.objectContaining({ code: 'ERR_JSON_INVALID' }),
        );
      }
    }
    expect(parseJsonLossless('[1E400, -0.0, 0.10]')).toEqual([jsonNumber('1E400'), jsonNumber('-0.0'), jsonNumber('0.10')]);
  });

  it('stringify ignores what a polluted Object.prototype adds, as JSON.stringify does', () => {
    (Object.prototype as Record<string, unknown>).polluted = Number.NaN;
    try {
      expect(stringifyJsonLossless({ a: 1, b: [null, { c: jsonNumber('1.0') }] })).toBe('{"a":1,"b":[null,{"c":1.0}]}');
      expect(() => stringifyJsonLossless({ a: { b: Number.POSITIVE_INFINITY } })).toThrowError(/body\.a\.b/);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});

describe.each([
  ['JWE', jweOptions],
  ['field-level', fieldLevelOptions],
])('security: the %s payload cipher keeps numbers exact', (_name, codecOptions) => {
  const cipher = createPayloadCipher({
    ...(codecOptions as PayloadCipherOptions),
    rules: [
      { path: '/whole', request: [{ path: '$' }], response: [{ path: '$' }] },
      { path: '/card', request: [{ path: '$.card' }], response: [{ path: '$.card' }] },
    ],
  });
  const encryptedMember = (body: unknown) => (body as { encryptedData?: unknown }).encryptedData;

  it('encrypts `$` without changing a digit (request)', async () => {
    const result = await cipher.encryptRequest({ url: '/whole', method: 'POST', body: parseJsonLossless(exactBody) });
    expect(result.encrypted).toBe(true);
    const opened = await cipher.decryptResponse({ url: '/whole', method: 'POST', body: result.body, headers: result.headers });
    expect(stringifyJsonLossless(opened.body)).toBe(exactBody);
  });

  it('encrypts a sub-path and keeps the rest of the body exact (request and response)', async () => {
    const text = `{"card":${exactBody},"total":105.10,"pan":5291070000000000123}`;
    const sealed = await cipher.encryptRequest({ url: '/card', method: 'POST', body: parseJsonLossless(text) });
    const wire = stringifyJsonLossless(sealed.body);
    expect(wire).toContain('"total":105.10,"pan":5291070000000000123');
    const opened = await cipher.decryptResponse({ url: '/card', method: 'POST', body: parseJsonLossless(wire), headers: sealed.headers });
    expect(stringifyJsonLossless(opened.body)).toBe(text);
  });

  if (codecOptions === jweOptions) {
    it('the plaintext inside the JWE is the exact text', async () => {
      const result = await cipher.encryptRequest({ url: '/whole', method: 'POST', body: parseJsonLossless(exactBody) });
      expect(await plaintextOf(encryptedMember(result.body))).toBe(exactBody);
    });

    it('decrypts a server token holding a 19-digit PAN and 105.10 without rounding', async () => {
      const token = await encrypt(exactBody, { key: certificate });
      const opened = await cipher.decryptResponse({ url: '/whole', method: 'GET', body: { encryptedData: token } });
      expect(stringifyJsonLossless(opened.body)).toBe(exactBody);
    });
  }
});

describe('security: encryptJson / decryptJson are lossless', () => {
  it('round-trips the exact text', async () => {
    const token = await encryptJson(parseJsonLossless(exactBody), { key: certificate });
    expect(await plaintextOf(token)).toBe(exactBody);
    const { value } = await decryptJson(token, { keys: privateKeyPkcs8 });
    expect(stringifyJsonLossless(value)).toBe(exactBody);
    expect((value as { cardNumber: unknown }).cardNumber).toBe(5291070000000000123n);
  });
});
