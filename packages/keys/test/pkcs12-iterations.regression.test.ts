import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePkcs12 } from '../src/index.js';
import { openssl, temporaryDirectory, vector } from './helpers.js';

// Issue #12 item 13: a PKCS#12 file with a huge iteration count held the event loop for seconds
// (minutes for 2^31). The count is now capped before any key derivation runs.

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);

/** Mastercard's legacy test keystore with its MAC iteration count rewritten (the MAC no longer verifies). */
function withMacIterations(iterations: number): Uint8Array {
  const pfx = forge.asn1.fromDer(forge.util.createBuffer(readFileSync(vector('test_key_container.p12')).toString('binary')));
  const macData = (pfx.value as forge.asn1.Asn1[])[2]!;
  const count = (macData.value as forge.asn1.Asn1[])[2]!;
  count.value = forge.asn1.integerToDer(iterations).getBytes();
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
}

describe('regression: PKCS#12 iteration counts are capped (#12.13)', () => {
  it('refuses a MAC iteration count above the cap with ERR_KEY_UNSUPPORTED before deriving anything', () => {
    // 3 million JavaScript PKCS#12 iterations took ~15 s before; now nothing runs.
    const error = (() => {
      try {
        parsePkcs12(withMacIterations(3_000_000), { passphrase: 'Password1', alias: 'mykeyalias' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'ERR_KEY_UNSUPPORTED', message: expect.stringContaining('3000000 key-derivation iterations') });
    expect((error as Error).message).toContain('maxIterations');
    // The untouched file still loads under the default cap.
    expect(parsePkcs12(readFileSync(vector('test_key_container.p12')), { passphrase: 'Password1', alias: 'mykeyalias' }).alias).toBe('mykeyalias');
  });

  it('caps PBES2 key bags written by OpenSSL too, and maxIterations raises the cap for a trusted file', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const certificateFile = join(dir, 'cert.pem');
    openssl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=iterations', '-days', '1', '-out', certificateFile]);
    const p12File = join(dir, 'many.p12');
    openssl(['pkcs12', '-export', '-inkey', keyFile, '-in', certificateFile, '-out', p12File, '-passout', 'env:P12', '-iter', '120000'], { P12: 'secret' });
    const bytes = readFileSync(p12File);
    expect(() => parsePkcs12(bytes, { passphrase: 'secret' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    expect(parsePkcs12(bytes, { passphrase: 'secret', maxIterations: 120_000 }).certificate.subject).toBe('CN=iterations');
    expect(() => parsePkcs12(bytes, { passphrase: 'secret', maxIterations: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});
