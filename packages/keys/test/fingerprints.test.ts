import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertCertificateCurrent,
  assertKeyMatchesCertificate,
  certificateFingerprint,
  checkCertificateValidity,
  jwkThumbprint,
  publicKeyFingerprint,
} from '../src/index.js';
import { openssl, vector } from './helpers.js';
import kids from './vectors/jwe-kids.json' with { type: 'json' };

const certificate = new X509Certificate(readFileSync(vector('test_certificate.pem')));
const privateKey = createPrivateKey(readFileSync(vector('test_key.pkcs8.pem')));

describe('fingerprints', () => {
  it('match the kids of the JWE vectors', () => {
    expect(publicKeyFingerprint(certificate)).toBe(kids.kidPublicKeySha256Hex);
    expect(publicKeyFingerprint(privateKey)).toBe(kids.kidPublicKeySha256Hex);
    expect(certificateFingerprint(certificate)).toBe(kids.kidCertificateSha256Hex);
    expect(certificateFingerprint(certificate, 'base64')).toBe(kids.kidCertificateSha256Base64);
  });

  it('public-key fingerprint equals what openssl computes', () => {
    const der = openssl(['x509', '-in', vector('test_certificate.pem'), '-noout', '-pubkey']);
    const hex = createHash('sha256').update(createPublicKey(der).export({ type: 'spki', format: 'der' })).digest('hex');
    expect(publicKeyFingerprint(certificate)).toBe(hex);
    const fromOpenssl = openssl(['x509', '-in', vector('test_certificate.pem'), '-noout', '-fingerprint', '-sha256']);
    expect(fromOpenssl.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(kids.kidCertificateSha256Hex);
  });

  it('jwkThumbprint follows RFC 7638 (its section 3.1 example)', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(jwkThumbprint(key)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(jwkThumbprint(ec.privateKey)).toBe(jwkThumbprint(ec.publicKey));
  });
});

describe('certificate checks', () => {
  it('a key and its certificate belong together; another key does not', () => {
    expect(() => assertKeyMatchesCertificate(privateKey, certificate)).not.toThrow();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => assertKeyMatchesCertificate(other, certificate)).toThrow(expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }));
  });

  it('classifies the validity window', () => {
    const notAfter = new Date(certificate.validTo).getTime();
    const notBefore = new Date(certificate.validFrom).getTime();
    expect(checkCertificateValidity(certificate, { now: notBefore + 86_400_000 }).status).toBe('valid');
    expect(checkCertificateValidity(certificate, { now: notAfter - 10 * 86_400_000 }).status).toBe('expiring');
    expect(checkCertificateValidity(certificate, { now: notAfter - 10 * 86_400_000, warnWithinDays: 5 }).status).toBe('valid');
    expect(checkCertificateValidity(certificate, { now: notAfter + 1000 }).status).toBe('expired');
    expect(checkCertificateValidity(certificate, { now: notBefore - 1000 }).status).toBe('not-yet-valid');
    expect(() => assertCertificateCurrent(certificate, { now: notAfter + 1000 })).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_EXPIRED' }),
    );
    expect(() => assertCertificateCurrent(certificate, { now: notBefore - 1000 })).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_NOT_YET_VALID' }),
    );
  });
});

describe('fingerprint encodings and the PKCS#12 sniff', () => {
  it('base64 and base64url are the same SHA-256 as the hex form', async () => {
    const { isPkcs12 } = await import('../src/index.js');
    const hex = publicKeyFingerprint(certificate);
    expect(publicKeyFingerprint(certificate, 'base64')).toBe(Buffer.from(hex, 'hex').toString('base64'));
    expect(publicKeyFingerprint(certificate, 'base64url')).toBe(Buffer.from(hex, 'hex').toString('base64url'));
    expect(certificateFingerprint(certificate, 'base64url')).toBe(Buffer.from(kids.kidCertificateSha256Hex, 'hex').toString('base64url'));
    expect(isPkcs12(readFileSync(vector('test_key_container.p12')))).toBe(true);
    expect(isPkcs12(readFileSync(vector('test_certificate.der')))).toBe(false);
    expect(isPkcs12(new Uint8Array())).toBe(false);
  });
});
