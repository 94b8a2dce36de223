import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, keyIdsFor } from '../src/index.js';
import { certificate, jweVectors, otherPrivateKey, privateKeyPkcs1, privateKeyPkcs8 } from './helpers.js';

// Issue #12 item 6: Mastercard's own Node test responses name the key by the certificate's
// SHA-256 in base64. Given only the private key, such a token must decrypt: an unknown kid makes
// decrypt try every configured key; ERR_JWE_UNKNOWN_KID only when none opens it.
const utf8 = new TextDecoder();
const certificateKidVectors = jweVectors.vectors.filter((vector) => vector.header.kid === jweVectors.kidCertificateSha256Base64);

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: String((error as { code?: unknown }).code), message: (error as Error).message };
  }
  return { code: 'resolved', message: '' };
}

describe('regression: a kid in another convention falls back to every configured key', () => {
  it('the three certificate-SHA-256-base64 vectors are in the set', () => {
    expect(certificateKidVectors).toHaveLength(3);
  });

  for (const [index, vector] of certificateKidVectors.entries()) {
    it(`vector ${index} decrypts given only the private key (PKCS#8, PKCS#1, or among other keys)`, async () => {
      for (const keys of [privateKeyPkcs8, privateKeyPkcs1, [otherPrivateKey(), privateKeyPkcs8]]) {
        const { plaintext, header } = await decrypt(vector.token, { keys });
        expect(utf8.decode(plaintext)).toBe(vector.plaintext);
        expect(header.kid).toBe(jweVectors.kidCertificateSha256Base64);
      }
    });
  }

  it('a kid no key answers to and no key opens is ERR_JWE_UNKNOWN_KID, naming the known kids', async () => {
    const token = await encrypt('x', { key: otherPrivateKey(), kid: 'someone-else' });
    const result = await failure(decrypt(token, { keys: privateKeyPkcs8 }));
    expect(result.code).toBe('ERR_JWE_UNKNOWN_KID');
    expect(result.message).toContain('someone-else');
    expect(result.message).toContain(jweVectors.kidPublicKeySha256Hex);
  });

  it('a known kid selects its key only: the wrong key under that kid is the uniform decryption failure', async () => {
    const token = await encrypt('x', { key: certificate, kid: 'rotated' });
    const keys = new Map([
      ['rotated', otherPrivateKey()],
      ['spare', privateKeyPkcs8],
    ]);
    expect((await failure(decrypt(token, { keys }))).code).toBe('ERR_JWE_DECRYPTION_FAILED');
  });

  it('tampering any part gives one code and one message per kid case (no oracle)', async () => {
    // A base64url vector, so the re-encoded part keeps one alphabet (a mix is refused earlier, as malformed).
    const vector = certificateKidVectors.find((candidate) => !/[+/=]/.test(candidate.token))!;
    const parts = vector.token.split('.');
    const outcomes = { unknownKid: new Set<string>(), knownKid: new Set<string>() };
    for (const part of [1, 2, 3, 4]) {
      const bytes = Buffer.from(parts[part]!, 'base64url');
      bytes[bytes.length - 1]! ^= 0x01;
      const copy = [...parts];
      copy[part] = bytes.toString('base64url');
      const tampered = copy.join('.');
      const unknown = await failure(decrypt(tampered, { keys: privateKeyPkcs8 }));
      const known = await failure(decrypt(tampered, { keys: keyIdsFor([{ privateKey: privateKeyPkcs8, certificate }]) }));
      outcomes.unknownKid.add(`${unknown.code} ${unknown.message}`);
      outcomes.knownKid.add(`${known.code} ${known.message}`);
    }
    expect([...outcomes.unknownKid]).toHaveLength(1);
    expect([...outcomes.unknownKid][0]).toMatch(/^ERR_JWE_UNKNOWN_KID /);
    expect([...outcomes.knownKid]).toEqual([
      'ERR_JWE_DECRYPTION_FAILED The JWE could not be decrypted: wrong key, or the token was altered. Check the kid and the key used.',
    ]);
  });
});
