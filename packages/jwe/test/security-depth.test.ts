import { describe, expect, it } from 'vitest';
import {
  createPayloadCipher,
  decrypt,
  decryptJson,
  defaultMaxJsonDepth,
  encrypt,
  parseJsonLossless,
  stringifyJsonLossless,
} from '../src/index.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// Issue #12 item 7: deep or huge input gives a typed error with a depth limit, never a raw
// RangeError (stack overflow in a parser, in structuredClone or in a regular expression).
const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string; name?: string }).code ?? (error as Error).name;
  }
  return 'no error';
};
const asyncCode = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return (error as { code?: string; name?: string }).code ?? (error as Error).name;
  }
  return 'no error';
};

describe('security: nesting limits', () => {
  it('a lossless-JSON document nested 3,000 deep is ERR_JSON_INVALID (with or without a long integer)', () => {
    expect(code(() => parseJsonLossless(nested(3000)))).toBe('ERR_JSON_INVALID');
    expect(code(() => parseJsonLossless(nested(3000, '12345678901234567890')))).toBe('ERR_JSON_INVALID');
    expect(code(() => parseJsonLossless(`{"a":${nested(3000, '{"b":1.0}')}}`))).toBe('ERR_JSON_INVALID');
  });

  it('accepts exactly maxDepth levels and refuses one more; maxDepth is an option', () => {
    expect(parseJsonLossless(nested(defaultMaxJsonDepth, '1.0'))).toBeDefined();
    expect(code(() => parseJsonLossless(nested(defaultMaxJsonDepth + 1)))).toBe('ERR_JSON_INVALID');
    expect(code(() => parseJsonLossless(nested(3), { maxDepth: 2 }))).toBe('ERR_JSON_INVALID');
    expect(code(() => parseJsonLossless('[]', { maxDepth: 0 }))).toBe('ERR_INVALID_OPTION');
  });

  it('a 10 MB hostile prefix of brackets fails at the limit, not after reading it all', () => {
    expect(code(() => parseJsonLossless('['.repeat(10_000_000)))).toBe('ERR_JSON_INVALID');
  });

  it('a JWE protected header nested 5,000 deep is ERR_JWE_MALFORMED', async () => {
    const token = await encrypt('{}', { key: certificate });
    const [, ...rest] = token.split('.');
    const header = `{"alg":"RSA-OAEP-256","enc":"A256GCM","x":${nested(5000)}}`;
    const hostile = [Buffer.from(header).toString('base64url'), ...rest].join('.');
    expect(await asyncCode(() => decrypt(hostile, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
  });

  it('a decrypted payload nested 3,000 deep is ERR_JSON_INVALID in decryptJson and the payload cipher', async () => {
    const token = await encrypt(nested(3000), { key: certificate });
    expect(await asyncCode(() => decryptJson(token, { keys: privateKeyPkcs8 }))).toBe('ERR_JSON_INVALID');
    const cipher = createPayloadCipher({ encryptionKey: certificate, decryptionKeys: privateKeyPkcs8, rules: [{ path: '/x', response: [{ path: '$' }] }] });
    expect(await asyncCode(() => cipher.decryptResponse({ url: '/x', method: 'GET', body: { encryptedData: token } }))).toBe('ERR_JSON_INVALID');
  });

  it('stringify refuses circular or absurdly deep values with ERR_INVALID_OPTION', () => {
    const circular: Record<string, unknown> = { n: 1n };
    circular.self = circular;
    expect(code(() => stringifyJsonLossless(circular))).toBe('ERR_INVALID_OPTION');
    let deep: unknown = 1n;
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    expect(code(() => stringifyJsonLossless(deep))).toBe('ERR_INVALID_OPTION');
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
  });
});

describe('security: huge strings', () => {
  const big = 'a'.repeat(10 * 1024 * 1024);

  it('a 10 MB string member parses (with a long integer beside it) and writes back', () => {
    const text = `["${big}",12345678901234567890]`;
    const value = parseJsonLossless(text) as [string, bigint];
    expect(value[0].length).toBe(big.length);
    expect(value[1]).toBe(12345678901234567890n);
    expect(stringifyJsonLossless(value)).toBe(text);
  });

  it('10 MB of escaped quotes, or an unterminated 10 MB string, is handled without a RangeError', () => {
    const escaped = `["${'\\"'.repeat(5 * 1024 * 1024)}",12345678901234567890]`;
    expect((parseJsonLossless(escaped) as string[])[0]!.length).toBe(5 * 1024 * 1024);
    expect(code(() => parseJsonLossless(`["${big}`))).toBe('ERR_JSON_INVALID');
    expect(code(() => parseJsonLossless(`["${big}\\`))).toBe('ERR_JSON_INVALID');
  });

  it('a JWE whose header holds a 10 MB string fails as any altered token does (no RangeError)', async () => {
    const token = await encrypt('{}', { key: certificate });
    const [, ...rest] = token.split('.');
    const header = `{"alg":"RSA-OAEP-256","enc":"A256GCM","x":"${'b'.repeat(10 * 1024 * 1024)}"}`;
    const hostile = [Buffer.from(header).toString('base64url'), ...rest].join('.');
    // Valid JSON, so the header parses; the changed header is the AAD, so the tag check fails.
    expect(await asyncCode(() => decrypt(hostile, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_DECRYPTION_FAILED');
  });
});
