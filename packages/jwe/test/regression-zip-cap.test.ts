import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createPayloadCipher, decrypt, encrypt, maxZipDecompressedBytes } from '../src/index.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// Issue #12 item 13 (jwe): a zip cap above 4 GiB (Node's largest buffer) used to pass validation
// and then fail every valid compressed token; it is now refused when the options are checked.
const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

function compressedToken(text: string): string {
  const header = b64u(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' }));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header));
  const ciphertext = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(text))), cipher.final()]);
  const ek = publicEncrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  return [header, b64u(ek), b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

describe('regression: zip.maxDecompressedBytes is bounded by what Node can inflate', () => {
  it('the bound is 4 GiB, and a valid compressed token decrypts with exactly that cap', async () => {
    expect(maxZipDecompressedBytes).toBe(2 ** 32);
    const { plaintext } = await decrypt(compressedToken('{"ok":true}'), { keys: privateKeyPkcs8, zip: { maxDecompressedBytes: maxZipDecompressedBytes } });
    expect(new TextDecoder().decode(plaintext)).toBe('{"ok":true}');
  });

  it('a cap above 4 GiB (or not a positive integer) is ERR_INVALID_OPTION, with or without a compressed token', async () => {
    const plain = await encrypt('x', { key: certificate });
    for (const maxDecompressedBytes of [2 ** 32 + 1, 5 * 2 ** 30, Number.MAX_SAFE_INTEGER, 0, 1.5, Number.NaN]) {
      for (const token of [compressedToken('x'), plain]) {
        expect(await codeOf(decrypt(token, { keys: privateKeyPkcs8, zip: { maxDecompressedBytes } })), String(maxDecompressedBytes)).toBe(
          'ERR_INVALID_OPTION',
        );
      }
    }
  });

  it('createPayloadCipher refuses such a cap at construction', () => {
    expect(() =>
      createPayloadCipher({
        encryptionKey: certificate,
        decryptionKeys: privateKeyPkcs8,
        decryptOptions: { zip: { maxDecompressedBytes: 5 * 2 ** 30 } },
        rules: [],
      }),
    ).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});
