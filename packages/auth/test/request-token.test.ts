import { type KeyObject, X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMcapiError } from '@mcapi/errors';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, importX509, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestTokenSigner } from '../src/index.js';
import { loadTestKeyFromP12, vector } from './helpers.js';

let dir: string;
let rsaKey: KeyObject;
let rsaCertPem: string;
let ecKey: KeyObject;
let ecCertPem: string;

// Self-signed certificates made by openssl for the shared test key and a fresh P-256 key.
function selfSigned(keyPath: string, name: string): string {
  const out = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', keyPath, '-subj', `/CN=${name}`, '-days', '2', '-sha256', '-out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return readFileSync(out, 'utf8');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcapi-auth-rt-'));
  rsaKey = await loadTestKeyFromP12();
  rsaCertPem = selfSigned(vector('test_key.pem'), 'rsa-signing');
  ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ecPath = join(dir, 'ec.pem');
  writeFileSync(ecPath, ecKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  ecCertPem = selfSigned(ecPath, 'ec-signing');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createRequestTokenSigner', () => {
  it.each([
    ['RS256', () => rsaKey, () => rsaCertPem],
    ['ES256', () => ecKey, () => ecCertPem],
  ] as const)('signs a %s request token that jose verifies with the certificate key', async (alg, key, certPem) => {
    const nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
    const signer = createRequestTokenSigner({ consumerKey: 'abc-abc-abc!123', signingKey: key(), certificate: certPem(), now: () => nowMs });
    const header = await signer.authorize();
    expect(header.startsWith('Bearer ')).toBe(true);
    const jwt = header.slice('Bearer '.length);

    const verified = await jwtVerify(jwt, await importX509(certPem(), alg), {
      algorithms: [alg],
      typ: 'JWT',
      currentDate: new Date(nowMs + 60_000),
      requiredClaims: ['iat', 'nbf', 'exp', 'jti'],
    });
    const iat = nowMs / 1000;
    expect(verified.payload).toMatchObject({ iat, nbf: iat, exp: iat + 900 });
    expect(verified.payload.jti).toMatch(/^[0-9a-f]{32}$/);

    const protectedHeader = decodeProtectedHeader(jwt);
    const certificate = new X509Certificate(certPem());
    expect(protectedHeader).toEqual({
      alg,
      typ: 'JWT',
      cty: 'JWS',
      kid: 'abc-abc-abc!123',
      x5c: [certificate.raw.toString('base64')],
      // Mastercard's generator form: jose's own RFC 7638 thumbprint of the public key.
      'x5t#S256': await calculateJwkThumbprint(await exportJWK(certificate.publicKey), 'sha256'),
    });
  });

  it("writes the RFC 7515 certificate hash in x5t#S256 with thumbprint: 'certificate', and refuses other forms", async () => {
    const signer = createRequestTokenSigner({ consumerKey: 'ck', signingKey: rsaKey, certificate: rsaCertPem, thumbprint: 'certificate' });
    const certificate = new X509Certificate(rsaCertPem);
    expect(decodeProtectedHeader(await signer.token())['x5t#S256']).toBe(createHash('sha256').update(certificate.raw).digest('base64url'));
    expect(() => createRequestTokenSigner({ consumerKey: 'ck', signingKey: rsaKey, certificate: rsaCertPem, thumbprint: 'spki' as never })).toThrow(
      /thumbprint must be 'jwk' or 'certificate'/,
    );
  });

  it('is refused by jose after 15 minutes', async () => {
    const nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
    const signer = createRequestTokenSigner({ consumerKey: 'ck', signingKey: rsaKey, certificate: rsaCertPem, now: () => nowMs });
    const key = await importX509(rsaCertPem, 'RS256');
    await expect(jwtVerify(await signer.token(), key, { currentDate: new Date(nowMs + 901_000) })).rejects.toThrow(/exp/);
  });

  it('makes a fresh token (new jti) for every request', async () => {
    const signer = createRequestTokenSigner({ consumerKey: 'ck', signingKey: rsaKey, certificate: new X509Certificate(rsaCertPem) });
    const key = await importX509(rsaCertPem, 'RS256');
    const a = await jwtVerify(await signer.token(), key);
    const b = await jwtVerify(await signer.token(), key);
    expect(a.payload.jti).not.toBe(b.payload.jti);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const error = captureError(() => createRequestTokenSigner({ consumerKey: 'ck', signingKey: ecKey, certificate: rsaCertPem }));
    expect(isMcapiError(error, 'ERR_KEY_MISMATCH')).toBe(true);
  });

  it('refuses curves other than P-256 and mismatched algorithms', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(isMcapiError(captureError(() => createRequestTokenSigner({ consumerKey: 'ck', signingKey: p384, certificate: ecCertPem })), 'ERR_KEY_UNSUPPORTED')).toBe(true);
    const mismatch = captureError(() =>
      createRequestTokenSigner({ consumerKey: 'ck', signingKey: rsaKey, certificate: rsaCertPem, algorithm: 'ES256' }),
    );
    expect(isMcapiError(mismatch, 'ERR_INVALID_OPTION')).toBe(true);
    expect((mismatch as Error).message).toContain('RS256');
  });

  it('refuses an empty consumer key and a public key', () => {
    expect(isMcapiError(captureError(() => createRequestTokenSigner({ consumerKey: '', signingKey: rsaKey, certificate: rsaCertPem })), 'ERR_INVALID_OPTION')).toBe(true);
    const publicKey = new X509Certificate(rsaCertPem).publicKey;
    expect(isMcapiError(captureError(() => createRequestTokenSigner({ consumerKey: 'ck', signingKey: publicKey, certificate: rsaCertPem })), 'ERR_INVALID_OPTION')).toBe(true);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
