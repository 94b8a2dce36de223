import { isMcapiError } from '@mcapi/errors';
import { publicKeyFingerprint } from '@mcapi/keys';
import { describe, expect, it } from 'vitest';
import { decrypt, keyIdsFor } from '../src/index.js';
import { certificate, certificateDer, jweVectors, privateKeyPkcs1, privateKeyPkcs8 } from './helpers.js';

const utf8 = new TextDecoder();
// The vectors name keys by public-key fingerprint or by certificate SHA-256 (base64), so the
// decryptor gets the key under every convention.
const keysByEveryKid = keyIdsFor([{ privateKey: privateKeyPkcs8, certificate }]);

describe('Mastercard interop vectors (test/vectors/vectors.json)', () => {
  it('names the key the way the vectors do', () => {
    expect(publicKeyFingerprint(privateKeyPkcs8)).toBe(jweVectors.kidPublicKeySha256Hex);
    expect([...keysByEveryKid.keys()].sort()).toEqual(
      [jweVectors.kidPublicKeySha256Hex, jweVectors.kidCertificateSha256Hex, jweVectors.kidCertificateSha256Base64].sort(),
    );
    expect([...keyIdsFor([{ privateKey: privateKeyPkcs1, certificate: certificateDer }]).keys()].sort()).toEqual(
      [...keysByEveryKid.keys()].sort(),
    );
  });

  for (const [index, vector] of jweVectors.vectors.entries()) {
    const label = `#${index} ${String(vector.header.enc)} iv=${vector.ivBytes} kid=${String(vector.header.kid ?? '-').slice(0, 12)}`;
    if (vector.expect === 'decrypts') {
      for (const [encoding, key] of [
        ['pkcs8', privateKeyPkcs8],
        ['pkcs1', privateKeyPkcs1],
      ] as const) {
        it(`${label} decrypts to the stated plaintext with the ${encoding} key`, async () => {
          // The key alone (any kid convention falls back to trying it) and the key under every kid.
          for (const keys of [key, keyIdsFor([{ privateKey: key, certificate }])]) {
            const { plaintext, header } = await decrypt(vector.token, { keys });
            expect(utf8.decode(plaintext)).toBe(vector.plaintext);
            expect(header).toEqual(vector.header);
          }
        });
      }
    } else {
      it(`${label} is rejected (${vector.why})`, async () => {
        const error = await decrypt(vector.token, { keys: keysByEveryKid }).catch((e: unknown) => e);
        expect(isMcapiError(error, 'ERR_JWE_UNSUPPORTED')).toBe(true);
      });
    }
  }

  it('covers 16-byte IVs, non-standard alphabets and A128CBC-HS256 among the decrypting vectors', () => {
    const decrypting = jweVectors.vectors.filter((v) => v.expect === 'decrypts');
    expect(decrypting.some((v) => v.ivBytes === 16)).toBe(true);
    expect(decrypting.some((v) => v.nonStandardAlphabet)).toBe(true);
    expect(decrypting.some((v) => v.header.enc === 'A128CBC-HS256')).toBe(true);
  });
});
