import { isMcapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField } from '../src/index.js';
import { certificate, otherPrivateKey, privateKeyPkcs1, privateKeyPkcs8, vectorText } from './helpers.js';

interface FleVector {
  source: string;
  iv: string;
  encryptedKey: string;
  encryptedValue: string;
  oaepHashingAlgorithm: string;
  plaintext: string;
}
const { vectors } = JSON.parse(vectorText('fle-vectors.json')) as { vectors: FleVector[] };
const utf8 = new TextDecoder();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isMcapiError(error) ? error.code : 'untyped';
  }
}

describe('legacy field-level encryption vectors (test/vectors/fle-vectors.json)', () => {
  for (const vector of vectors) {
    it(`${vector.oaepHashingAlgorithm}: ${vector.source}`, async () => {
      for (const key of [privateKeyPkcs8, privateKeyPkcs1]) {
        const plaintext = await decryptField(vector, { keys: key });
        expect(utf8.decode(plaintext)).toBe(vector.plaintext);
      }
    });
  }

  it('a missing oaepHashingAlgorithm falls back to the configured hash', async () => {
    const sha512 = vectors.find((v) => v.oaepHashingAlgorithm.replace('-', '') === 'SHA512')!;
    const { oaepHashingAlgorithm: _dropped, ...withoutHash } = sha512;
    expect(utf8.decode(await decryptField(withoutHash, { keys: privateKeyPkcs8, oaepHash: 'SHA-512' }))).toBe(sha512.plaintext);
    expect(await codeOf(decryptField(withoutHash, { keys: privateKeyPkcs8 }))).toBe('ERR_FLE_DECRYPTION_FAILED');
  });
});

describe('encryptField / decryptField', () => {
  for (const encoding of ['hex', 'base64'] as const) {
    for (const oaepHash of ['SHA-256', 'SHA-512'] as const) {
      it(`round-trips with ${encoding} and ${oaepHash}`, async () => {
        const fields = encryptField('{"pan":"5123456789012345","name":"Zoë"}', { key: certificate, encoding, oaepHash });
        expect(fields.oaepHashingAlgorithm).toBe(oaepHash.replace('-', ''));
        expect(fields.publicKeyFingerprint).toBe('761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79');
        if (encoding === 'hex') expect(fields.iv).toMatch(/^[0-9a-f]{32}$/);
        const plaintext = await decryptField(fields, { keys: [otherPrivateKey(), privateKeyPkcs8], encoding });
        expect(utf8.decode(plaintext)).toBe('{"pan":"5123456789012345","name":"Zoë"}');
      });
    }
  }

  it('every crypto failure is one error with one message; malformed values are ERR_FLE_MALFORMED', async () => {
    const fields = encryptField('secret', { key: certificate });
    const messages = new Set<string>();
    for (const broken of [
      { ...fields, encryptedKey: `${fields.encryptedKey.slice(0, -2)}00` },
      { ...fields, encryptedValue: `${fields.encryptedValue.slice(0, -2)}00` },
      { ...fields, oaepHashingAlgorithm: 'SHA512' },
    ]) {
      const error = await decryptField(broken, { keys: privateKeyPkcs8 }).catch((e: unknown) => e);
      // A changed last block may still unpad by chance (CBC has no MAC); it must never be the plaintext.
      if (error instanceof Uint8Array) {
        expect(utf8.decode(error)).not.toBe('secret');
        continue;
      }
      expect(isMcapiError(error, 'ERR_FLE_DECRYPTION_FAILED')).toBe(true);
      messages.add((error as Error).message);
    }
    expect(messages.size).toBe(1);
    expect(await codeOf(decryptField(fields, { keys: otherPrivateKey() }))).toBe('ERR_FLE_DECRYPTION_FAILED');
    for (const broken of [
      { ...fields, iv: 'zz' },
      { ...fields, iv: 'abcd' },
      { ...fields, encryptedValue: '' },
      { ...fields, oaepHashingAlgorithm: 'MD5' },
    ]) {
      expect(await codeOf(decryptField(broken, { keys: privateKeyPkcs8 }))).toBe('ERR_FLE_MALFORMED');
    }
  });
});
