// Token-held keys plug in where mcapi takes a private key: the OAuth 1.0a signer, JWE key sets
// (with rotation between a file key and a token key), the FAPI 2.0 client against the real
// sandbox (PS256 / ES256 assertions and DPoP proofs) and the Cross-Border request token (RS256).
import { execFileSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFapi2Client, createOAuth1Signer, createRequestTokenSigner, verifyOAuth1 } from '@mcapi/auth';
import { decrypt, encrypt } from '@mcapi/jwe';
import { type Pkcs11Key, type Pkcs11Provider, openPkcs11 } from '@mcapi/pkcs11';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type SoftHsmToken, createSoftHsmToken, serviceAvailable } from '@mcapi/test-services';
import { calculateJwkThumbprint, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const haveSoftHsm = serviceAvailable({ command: 'softhsm2-util', versionArgs: ['--version'], aptPackage: 'softhsm2' });

describe.skipIf(!haveSoftHsm)('token keys in mcapi', () => {
  let token: SoftHsmToken;
  let hsm: Pkcs11Provider;
  let rsa: Pkcs11Key;
  let rsaNext: Pkcs11Key;
  let ec: Pkcs11Key;
  let ecDpop: Pkcs11Key;

  beforeAll(async () => {
    token = await createSoftHsmToken('mcapi-integration');
    hsm = await openPkcs11({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin });
    rsa = await hsm.generateKeyPair({ label: 'mc-2026', type: 'rsa' });
    rsaNext = await hsm.generateKeyPair({ label: 'mc-2027', type: 'rsa' });
    ec = await hsm.generateKeyPair({ label: 'fapi-es256', type: 'ec' });
    ecDpop = await hsm.generateKeyPair({ label: 'dpop-es256', type: 'ec' });
  });
  afterAll(async () => {
    await hsm?.close();
    await token?.remove();
  });

  it.each(['RSA-SHA256', 'RSA-PSS'] as const)('OAuth 1.0a %s: the signer signs in the token and the verifier accepts it', async (signatureMethod) => {
    const signer = createOAuth1Signer({ consumerKey: 'abc!def', signingKey: rsa, signatureMethod });
    const url = 'https://sandbox.api.mastercard.com/send/v1/partners/p1/crossborder/quotes?x=1';
    const body = '{"amount":10.00}';
    const authorization = await signer.authorize({ method: 'POST', url, body });
    const result = await verifyOAuth1({ method: 'POST', url, body, headers: { authorization }, lookupKey: () => rsa.publicKey });
    expect(result).toMatchObject({ ok: true, signatureMethod });
  });

  it('JWE: a key set mixing a file key and token keys decrypts by kid, across a rotation', async () => {
    const fileKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const keys = [fileKey, rsa];
    for (const recipient of [fileKey, rsa.publicKey]) {
      const jwe = await encrypt(new TextEncoder().encode('{"pan":"5555"}'), { key: recipient });
      expect(new TextDecoder().decode((await decrypt(jwe, { keys })).plaintext)).toBe('{"pan":"5555"}');
    }
    // Rotation: the sender moves to the next token key; the set gains it, keeps the old one for stragglers.
    const rotated = [...keys, rsaNext];
    const next = await encrypt(new TextEncoder().encode('{"n":1.10}'), { key: rsaNext.publicKey });
    expect(new TextDecoder().decode((await decrypt(next, { keys: rotated })).plaintext)).toBe('{"n":1.10}');
    await expect(decrypt(next, { keys })).rejects.toMatchObject({ code: 'ERR_JWE_UNKNOWN_KID' });
    // A damaged wrapped key fails like any other decryption failure.
    const [h, k, iv, c, t] = next.split('.');
    const damaged = [h, `${k!.slice(0, 10)}${k![10] === 'A' ? 'B' : 'A'}${k!.slice(11)}`, iv, c, t].join('.');
    await expect(decrypt(damaged, { keys: rotated })).rejects.toMatchObject({ code: 'ERR_JWE_DECRYPTION_FAILED' });
  });

  describe('FAPI 2.0 against the sandbox', () => {
    let sandbox: Sandbox;
    let agent: Agent;
    beforeAll(async () => {
      sandbox = await startSandbox();
      agent = new Agent({ connect: { ca: sandbox.caCertificate } });
    });
    afterAll(async () => {
      await agent?.close();
      await sandbox?.close();
    });

    it.each([
      ['PS256', () => rsa],
      ['ES256', () => ec],
    ] as const)('private_key_jwt %s from the token and an ES256 DPoP key in the token get a bound token', async (alg, key) => {
      const { clientId, kid } = sandbox.oauth2.registerClient({ publicKey: key().publicKey, redirectUris: ['https://app.example/cb'] });
      const sent: string[] = [];
      const client = createFapi2Client({
        clientId,
        kid,
        signingKey: key(),
        dpopKey: ecDpop,
        issuer: sandbox.oauth2.issuer,
        tokenEndpoint: sandbox.oauth2.tokenEndpoint,
        scopes: ['payments'],
        fetch: (input, init) => {
          sent.push(new URLSearchParams(String(init?.body ?? '')).get('client_assertion') ?? '');
          return undiciFetch(input, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
        },
      });
      const issued = await client.getToken();
      expect(issued.tokenType).toBe('DPoP');
      expect(client.dpopThumbprint).toBe(await calculateJwkThumbprint(ecDpop.publicKey.export({ format: 'jwk' }) as never));
      const assertion = sent.at(-1)!;
      expect(decodeProtectedHeader(assertion)).toMatchObject({ alg, kid });
      await jwtVerify(assertion, key().publicKey, { issuer: clientId, audience: sandbox.oauth2.issuer });
    });
  });

  it('request token RS256 signed in the token, with the certificate of the token key in x5c', async () => {
    // A certificate for the token's public key, issued by a throwaway CA with openssl.
    const dir = token.conf.replace(/softhsm2\.conf$/, '');
    const caKey = join(dir, 'ca.key');
    const publicPem = join(dir, 'token-public.pem');
    const certPath = join(dir, 'token.crt');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', caKey], { stdio: 'ignore' });
    writeFileSync(publicPem, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    execFileSync('openssl', ['x509', '-new', '-subj', '/CN=mcapi-hsm-test', '-key', caKey, '-force_pubkey', publicPem, '-days', '2', '-out', certPath], { stdio: 'ignore' });
    const certificatePem = execFileSync('cat', [certPath]).toString();
    const signer = createRequestTokenSigner({ consumerKey: 'abc!def', signingKey: rsa, certificate: certificatePem });
    const jwt = await signer.token();
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: 'abc!def', x5c: [new X509Certificate(certificatePem).raw.toString('base64')] });
    await jwtVerify(jwt, await importX509(certificatePem, 'RS256'));
    // The certificate of another key is refused.
    expect(() => createRequestTokenSigner({ consumerKey: 'abc!def', signingKey: rsaNext, certificate: certificatePem })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }),
    );
  });
});
