import { X509Certificate, createPublicKey, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { type McapiErrorCode, isMcapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import { type ContentEncryption, decrypt, decryptJson, encrypt, encryptJson } from '../src/index.js';
import { certificate, jweVectors, otherPrivateKey, privateKeyPkcs1, privateKeyPkcs8 } from './helpers.js';

const utf8 = new TextDecoder();
const b64u = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

async function codeOf(promise: Promise<unknown>): Promise<McapiErrorCode | 'resolved' | 'untyped'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isMcapiError(error) ? error.code : 'untyped';
  }
}

/** Re-encrypts with a chosen protected header, to craft tokens the encryptor never makes. */
async function withHeader(header: Record<string, unknown>): Promise<string> {
  const token = await encrypt('{"a":1}', { key: certificate });
  const [, ...rest] = token.split('.');
  return [b64u(JSON.stringify(header)), ...rest].join('.');
}

describe('encrypt', () => {
  it('emits standard compact JWE: RSA-OAEP-256, A256GCM, 12-byte IV, base64url, default kid and cty', async () => {
    const token = await encrypt('{"hello":"world"}', { key: certificate });
    const parts = token.split('.');
    expect(parts).toHaveLength(5);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(headerOf(token)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: jweVectors.kidPublicKeySha256Hex, cty: 'application/json' });
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
  });

  it('names the kid by certificate SHA-256 (hex or base64) or explicitly', async () => {
    expect(headerOf(await encrypt('x', { key: certificate, kid: 'certificate-sha256-hex' })).kid).toBe(jweVectors.kidCertificateSha256Hex);
    expect(headerOf(await encrypt('x', { key: certificate, kid: 'certificate-sha256-base64' })).kid).toBe(jweVectors.kidCertificateSha256Base64);
    expect(headerOf(await encrypt('x', { key: certificate, kid: 'fixed-kid-1' })).kid).toBe('fixed-kid-1');
    expect(await codeOf(encrypt('x', { key: certificate.publicKey, kid: 'certificate-sha256-hex' }))).toBe('ERR_INVALID_OPTION');
  });

  it('takes a public key, a private key or a certificate, and leaves cty out on request', async () => {
    for (const key of [createPublicKey(privateKeyPkcs8), privateKeyPkcs8, certificate]) {
      const token = await encrypt('x', { key, cty: false });
      expect(headerOf(token)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: jweVectors.kidPublicKeySha256Hex });
      expect(utf8.decode((await decrypt(token, { keys: privateKeyPkcs1 })).plaintext)).toBe('x');
    }
  });

  it('rejects bad options by name', async () => {
    expect(await codeOf(encrypt('x', { key: 'pem' as unknown as X509Certificate }))).toBe('ERR_INVALID_OPTION');
    expect(await codeOf(encrypt('x', { key: certificate, enc: 'XC20P' as ContentEncryption }))).toBe('ERR_INVALID_OPTION');
    expect(await codeOf(encrypt('x', { key: certificate, ivLength: 8 as 12 }))).toBe('ERR_INVALID_OPTION');
    expect(await codeOf(encryptJson(undefined, { key: certificate }))).toBe('ERR_INVALID_OPTION');
  });
});

describe('round trips', () => {
  const encs: ContentEncryption[] = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256'];
  for (const enc of encs) {
    for (const ivLength of [12, 16] as const) {
      it(`${enc} with ivLength ${ivLength}`, async () => {
        const value = { pan: '5123456789012345', nested: { list: [1, 2, 3], unicode: 'ü€😀' } };
        const token = await encryptJson(value, { key: certificate, enc, ivLength });
        const expectedIv = enc === 'A128CBC-HS256' ? 16 : ivLength;
        expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(expectedIv);
        const { value: decrypted, header } = await decryptJson(token, { keys: [privateKeyPkcs8] });
        expect(decrypted).toEqual(value);
        expect(header.enc).toBe(enc);
      });
    }
  }

  it('round-trips bytes, the empty string and a 1 MiB payload', async () => {
    const bytes = randomBytes(1024 * 1024);
    const { plaintext } = await decrypt(await encrypt(bytes, { key: certificate }), { keys: privateKeyPkcs8 });
    expect(Buffer.from(plaintext).equals(bytes)).toBe(true);
    expect((await decrypt(await encrypt('', { key: certificate }), { keys: privateKeyPkcs8 })).plaintext).toHaveLength(0);
  });
});

describe('key selection', () => {
  it('picks the key by kid from a Map (rotation: two keys valid at once)', async () => {
    const other = otherPrivateKey();
    const keys = new Map([
      ['old', privateKeyPkcs8],
      ['new', other],
    ]);
    const toNew = await encrypt('for new', { key: other, kid: 'new' });
    const toOld = await encrypt('for old', { key: certificate, kid: 'old' });
    expect(utf8.decode((await decrypt(toNew, { keys })).plaintext)).toBe('for new');
    expect(utf8.decode((await decrypt(toOld, { keys })).plaintext)).toBe('for old');
  });

  it('picks the key by fingerprint from an array', async () => {
    const other = otherPrivateKey();
    const token = await encrypt('x', { key: other });
    expect(utf8.decode((await decrypt(token, { keys: [privateKeyPkcs8, other] })).plaintext)).toBe('x');
  });

  it('tries every key when the token has no kid', async () => {
    const other = otherPrivateKey();
    const vector = jweVectors.vectors.find((v) => v.header.kid === undefined && v.expect === 'decrypts')!;
    expect(utf8.decode((await decrypt(vector.token, { keys: [other, privateKeyPkcs8] })).plaintext)).toBe(vector.plaintext);
    expect(await codeOf(decrypt(vector.token, { keys: other }))).toBe('ERR_JWE_DECRYPTION_FAILED');
  });

  it('rejects an unknown kid and lists the known ones', async () => {
    // Encrypted to a key that is not configured: trying every key (an unknown kid may be another
    // naming convention) finds none.
    const token = await encrypt('x', { key: otherPrivateKey(), kid: 'someone-else' });
    const error = await decrypt(token, { keys: [privateKeyPkcs8] }).catch((e: unknown) => e);
    expect(isMcapiError(error, 'ERR_JWE_UNKNOWN_KID')).toBe(true);
    expect((error as Error).message).toContain('someone-else');
    expect((error as Error).message).toContain(jweVectors.kidPublicKeySha256Hex);
  });

  it('refuses keys that cannot decrypt', async () => {
    const token = await encrypt('x', { key: certificate });
    expect(await codeOf(decrypt(token, { keys: createPublicKey(privateKeyPkcs8) as never }))).toBe('ERR_INVALID_OPTION');
    expect(await codeOf(decrypt(token, { keys: [] }))).toBe('ERR_INVALID_OPTION');
    expect(await codeOf(decrypt(token, { keys: new Map() }))).toBe('ERR_INVALID_OPTION');
  });
});

describe('rejections', () => {
  it('wrong part count', async () => {
    const token = await encrypt('x', { key: certificate });
    expect(await codeOf(decrypt(token.split('.').slice(0, 4).join('.'), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(`${token}.x`, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt('', { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(42 as unknown as string, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
  });

  it('bad base64, non-canonical base64 and mixed alphabets', async () => {
    const token = await encrypt('x', { key: certificate });
    const parts = token.split('.');
    const replace = (index: number, value: string) => parts.map((p, i) => (i === index ? value : p)).join('.');
    expect(await codeOf(decrypt(replace(2, `${parts[2]}*`), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(replace(2, `${parts[2]} `), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(replace(3, 'A'), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    // 16 bytes → 22 chars whose last carries 2 unused bits: "Q" (bits 01 0000) is not canonical for "A".
    const tag = parts[4]!;
    const alias = tag.slice(0, -1) + String.fromCharCode(tag.charCodeAt(21) + 1);
    expect(await codeOf(decrypt(replace(4, alias), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(`${token.replace(/[-_]/g, 'A')}+-`, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
  });

  it('non-JSON or non-object headers', async () => {
    const token = await encrypt('x', { key: certificate });
    const rest = token.split('.').slice(1).join('.');
    for (const header of ['not json', '[1]', '"str"', 'null', '{"alg":"RSA-OAEP-256"}', '{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":5}']) {
      expect(await codeOf(decrypt(`${b64u(header)}.${rest}`, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    }
    expect(await codeOf(decrypt(`${b64u(Buffer.from([0xff, 0xfe]))}.${rest}`, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
  });

  it('alg outside the allow-list: none, dir, RSA1_5, RSA-OAEP (unless allowed)', async () => {
    for (const alg of ['none', 'dir', 'RSA1_5', 'RSA-OAEP', 'A256KW', 'ECDH-ES']) {
      expect(await codeOf(decrypt(await withHeader({ alg, enc: 'A256GCM' }), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_UNSUPPORTED');
    }
    // Allowed but with a different OAEP hash than the key was wrapped with: a crypto failure.
    const token = await withHeader({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    expect(await codeOf(decrypt(token, { keys: privateKeyPkcs8, algorithms: ['RSA-OAEP'] }))).toBe('ERR_JWE_DECRYPTION_FAILED');
  });

  it('unsupported enc, crit, zip without opt-in', async () => {
    for (const enc of ['XC20P', 'A256CBC-HS512', 'A128KW', '']) {
      expect(await codeOf(decrypt(await withHeader({ alg: 'RSA-OAEP-256', enc }), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_UNSUPPORTED');
    }
    expect(
      await codeOf(decrypt(await withHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', crit: ['exp'], exp: 1 }), { keys: privateKeyPkcs8 })),
    ).toBe('ERR_JWE_UNSUPPORTED');
    expect(await codeOf(decrypt(await withHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' }), { keys: privateKeyPkcs8 }))).toBe(
      'ERR_JWE_UNSUPPORTED',
    );
    const allowed = await encrypt('x', { key: certificate, enc: 'A128GCM' });
    expect(await codeOf(decrypt(allowed, { keys: privateKeyPkcs8, encryptions: ['A256GCM'] }))).toBe('ERR_JWE_UNSUPPORTED');
  });

  it('tokens over the size limit (default 16 MiB, configurable)', async () => {
    const token = await encrypt('x'.repeat(2000), { key: certificate });
    expect(await codeOf(decrypt(token, { keys: privateKeyPkcs8, maxTokenBytes: 1000 }))).toBe('ERR_JWE_TOO_LARGE');
    expect(await codeOf(decrypt('a'.repeat(16 * 1024 * 1024 + 1), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_TOO_LARGE');
  });

  it('wrong IV or tag sizes', async () => {
    const token = await encrypt('x', { key: certificate });
    const parts = token.split('.');
    const replace = (index: number, value: string) => parts.map((p, i) => (i === index ? value : p)).join('.');
    expect(await codeOf(decrypt(replace(2, b64u(randomBytes(8))), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(replace(4, b64u(randomBytes(12))), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
    expect(await codeOf(decrypt(replace(1, ''), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_MALFORMED');
  });

  it('every crypto failure is the same error with the same message (no oracle)', async () => {
    const token = await encrypt('secret plaintext', { key: certificate });
    const parts = token.split('.');
    const replace = (index: number, value: string) => parts.map((p, i) => (i === index ? value : p)).join('.');
    const tampered = [
      replace(1, b64u(randomBytes(256))), // OAEP failure
      replace(3, b64u(randomBytes(16))), // tag failure
      replace(4, b64u(randomBytes(16))), // tag failure
      replace(0, b64u(JSON.stringify({ ...headerOf(token), extra: 1 }))), // AAD changed
    ];
    const messages = new Set<string>();
    for (const candidate of tampered) {
      const error = await decrypt(candidate, { keys: privateKeyPkcs8 }).catch((e: unknown) => e);
      expect(isMcapiError(error, 'ERR_JWE_DECRYPTION_FAILED')).toBe(true);
      messages.add((error as Error).message);
      expect((error as Error).message).not.toContain('secret');
    }
    expect(messages.size).toBe(1);
  });

  it('A128CBC-HS256 with a zeroed tag is rejected (its HMAC is verified)', async () => {
    const vector = jweVectors.vectors.find((v) => v.header.enc === 'A128CBC-HS256')!;
    const parts = vector.token.split('.');
    parts[4] = b64u(Buffer.alloc(16));
    expect(await codeOf(decrypt(parts.join('.'), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_DECRYPTION_FAILED');
    const ours = (await encrypt('bar', { key: certificate, enc: 'A128CBC-HS256' })).split('.');
    ours[4] = b64u(Buffer.alloc(16));
    expect(await codeOf(decrypt(ours.join('.'), { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_DECRYPTION_FAILED');
  });
});

describe('zip', () => {
  it('inflates DEF payloads only when enabled, within the cap', async () => {
    const { createCipheriv, publicEncrypt, constants } = await import('node:crypto');
    const header = b64u(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' }));
    const cek = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', cek, iv);
    cipher.setAAD(Buffer.from(header));
    const ciphertext = Buffer.concat([cipher.update(deflateRawSync(Buffer.from('z'.repeat(10_000)))), cipher.final()]);
    const ek = publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
    const token = [header, b64u(ek), b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
    expect(await codeOf(decrypt(token, { keys: privateKeyPkcs8 }))).toBe('ERR_JWE_UNSUPPORTED');
    expect((await decrypt(token, { keys: privateKeyPkcs8, zip: { maxDecompressedBytes: 20_000 } })).plaintext).toHaveLength(10_000);
    expect(await codeOf(decrypt(token, { keys: privateKeyPkcs8, zip: { maxDecompressedBytes: 1000 } }))).toBe('ERR_JWE_TOO_LARGE');
  });
});

describe('certificate input', () => {
  it('accepts a DER certificate object', async () => {
    const der = new X509Certificate(certificate.raw);
    const token = await encrypt('x', { key: der, kid: 'certificate-sha256-base64' });
    expect(headerOf(token).kid).toBe(jweVectors.kidCertificateSha256Base64);
  });
});

describe('event loop', () => {
  it('RSA private-key work runs off the main thread: timers run while 200 decryptions are in flight', async () => {
    const tokens = await Promise.all(Array.from({ length: 200 }, () => encrypt('{"a":1}', { key: certificate })));
    await decrypt(tokens[0]!, { keys: privateKeyPkcs8 }); // worker pool started
    let settled = 0;
    const all = Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 }).then(() => settled++)));
    // Were the RSA work synchronous, all 200 would finish before this timer could fire.
    const seenByTimer = await new Promise<number>((resolve) => setImmediate(() => resolve(settled)));
    await all;
    expect(settled).toBe(200);
    expect(seenByTimer).toBeLessThan(200);
  });

  it('leaves a thread-pool thread free: file operations are not queued behind 300 decryptions', async () => {
    const { stat } = await import('node:fs/promises');
    const tokens = await Promise.all(Array.from({ length: 300 }, () => encrypt('{"a":1}', { key: certificate })));
    await decrypt(tokens[0]!, { keys: privateKeyPkcs8 });
    let settled = 0;
    const all = Promise.all(tokens.map((token) => decrypt(token, { keys: privateKeyPkcs8 }).then(() => settled++)));
    // Once every decryption has been started (RSA jobs in the libuv pool would queue ahead of fs)…
    await new Promise((resolve) => setImmediate(resolve));
    const before = settled;
    await stat(new URL(import.meta.url));
    const during = settled - before;
    await all;
    // …a file operation must not wait behind them.
    expect(during).toBeLessThan(250);
  });
});

describe('key lists edited in place', () => {
  it('an array gaining a key during a rotation is read afresh', async () => {
    const keys = [privateKeyPkcs8];
    const token = await encrypt('x', { key: otherPrivateKey() });
    expect(await codeOf(decrypt(token, { keys }))).toBe('ERR_JWE_UNKNOWN_KID');
    keys.push(otherPrivateKey());
    expect(utf8.decode((await decrypt(token, { keys })).plaintext)).toBe('x');
  });
});

describe('alphabets and padding', () => {
  it('parts in standard base64 with "+", "/" and "=" padding decrypt (the header stays as signed: it is the AAD)', async () => {
    for (let i = 0; i < 10; i++) {
      const token = await encrypt(`{"n":${i}}`, { key: certificate, ivLength: 16 });
      const [header, ...rest] = token.split('.');
      const standard = rest.map((part) => Buffer.from(part, 'base64url').toString('base64'));
      const respelled = [header, ...standard].join('.');
      expect(respelled).toMatch(/=/);
      expect(utf8.decode((await decrypt(respelled, { keys: privateKeyPkcs8 })).plaintext)).toBe(`{"n":${i}}`);
    }
  });
});

describe('header cache', () => {
  it('each result gets its own header copy', async () => {
    const token = await encrypt('x', { key: certificate });
    const first = await decrypt(token, { keys: privateKeyPkcs8 });
    first.header.kid = 'changed';
    const second = await decrypt(token, { keys: privateKeyPkcs8 });
    expect(second.header.kid).toBe(jweVectors.kidPublicKeySha256Hex);
  });
});
