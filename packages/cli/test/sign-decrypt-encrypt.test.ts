import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyOAuth1 } from '@mcapi/auth';
import { readKeyringManifest } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Fixture, mcapi, startFixture } from './helpers.js';

let fixture: Fixture;
const pan = '5291070000000000123';

beforeAll(async () => {
  assertBuilt();
  fixture = await startFixture();
});
afterAll(() => fixture?.close());

async function keyringFile(purpose: string, field: 'certificateFile' | 'privateKeyFile'): Promise<string> {
  const manifest = await readKeyringManifest(fixture.keyring);
  const entry = manifest.keys.find((key) => key.purpose === purpose && key.status === 'active')!;
  return join(fixture.keyring, entry[field]!);
}

describe('mcapi sign', () => {
  it('prints an Authorization header and base string that verify against the registered certificate, without sending', async () => {
    const before = fixture.sandbox.log().length;
    const url = `${fixture.sandbox.urls.crossBorder}/send/v1/partners/P1/crossborder?ref=a%20b`;
    const run = await mcapi(fixture.temp, ['sign', 'GET', url, '--keyring', fixture.keyring, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const json = run.json<{ authorization: string; baseString: string; headers: Record<string, string> }>();
    expect(json.headers['x-encrypted']).toBe('true');
    expect(json.baseString).toMatch(/^GET&https%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsend%2Fv1%2Fpartners%2FP1%2Fcrossborder&oauth_body_hash%3D/);
    const certificate = new X509Certificate(await readFile(await keyringFile('signing', 'certificateFile')));
    const verified = await verifyOAuth1({ method: 'GET', url, headers: { authorization: json.authorization }, body: undefined, lookupKey: () => certificate });
    expect(verified).toMatchObject({ ok: true, signatureBaseString: json.baseString });
    expect(fixture.sandbox.log().length).toBe(before);
  });

  it('takes a consumer key that begins with a dash as --consumer-key KEY (one in 64 of Mastercard\'s do)', async () => {
    const url = `${fixture.sandbox.urls.crossBorder}/send/v1/partners/P1/crossborder`;
    const run = await mcapi(fixture.temp, ['sign', 'GET', url, '--keyring', fixture.keyring, '--consumer-key', '-JaA_cEZvH8!ca569c25', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json<{ authorization: string }>().authorization).toContain('oauth_consumer_key="-JaA_cEZvH8!ca569c25"');
  });

  it('refuses Benefit Allocation (mTLS, nothing to sign) with exit 64', async () => {
    const run = await mcapi(fixture.temp, ['sign', 'POST', `${fixture.sandbox.urls.benefitAllocation}/card-segments`, '--keyring', fixture.keyring, '-d', '{}']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('authenticate with the mTLS client certificate');
  });
});

describe('mcapi encrypt and decrypt', () => {
  it('round-trips a 19-digit card number exactly (to our own response certificate, decrypted with the keyring), masked by default', async () => {
    const responseCert = await keyringFile('response-decryption', 'certificateFile');
    const encrypted = await mcapi(fixture.temp, ['encrypt', `{"cardNumber":${pan},"amount":105.15}`, '--encryption-cert', responseCert, '--api', 'cross-border']);
    expect(encrypted.status, encrypted.stderr).toBe(0);
    expect(encrypted.stdout).toMatch(/^\{"encrypted_payload":\{"data":"eyJ[^"]+"\}\}\n$/);
    const shown = await mcapi(fixture.temp, ['decrypt', '-', '--keyring', fixture.keyring, '--show-pan'], { input: encrypted.stdout });
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`"cardNumber": ${pan},`);
    expect(shown.stdout).toContain('"amount": 105.15');
    const masked = await mcapi(fixture.temp, ['decrypt', encrypted.stdout.trim(), '--keyring', fixture.keyring, '--json']);
    expect(masked.json<{ body: { cardNumber: string } }>().body.cardNumber).toBe('529107*********0123');
    expect(masked.stdout + masked.stderr).not.toContain(pan);
  });

  it('decrypts a bare JWE from @file with --key, and a {"encryptedData"} body', async () => {
    const responseCert = await keyringFile('response-decryption', 'certificateFile');
    const token = await mcapi(fixture.temp, ['encrypt', '{"ok":true}', '--encryption-cert', responseCert, '--token']);
    const file = join(fixture.temp, 'token.txt');
    await writeFile(file, token.stdout);
    const run = await mcapi(fixture.temp, ['decrypt', `@${file}`, '--key', await keyringFile('response-decryption', 'privateKeyFile')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"ok": true');
    const wrapped = await mcapi(fixture.temp, ['decrypt', `{"encryptedData":"${token.stdout.trim()}"}`, '--keyring', fixture.keyring]);
    expect(wrapped.stdout).toContain('"ok": true');
  });

  it('a token for another key or a damaged token fails with the one uniform decryption error, exit 2', async () => {
    const toSandbox = await mcapi(fixture.temp, ['encrypt', '{"a":1}', '--keyring', fixture.keyring, '--token']);
    const otherKey = await mcapi(fixture.temp, ['decrypt', toSandbox.stdout.trim(), '--key', await keyringFile('response-decryption', 'privateKeyFile')]);
    const parts = toSandbox.stdout.trim().split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}AA`;
    const damaged = await mcapi(fixture.temp, ['decrypt', parts.join('.'), '--keyring', fixture.keyring]);
    for (const run of [otherKey, damaged]) {
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/\(ERR_JWE_(DECRYPTION_FAILED|UNKNOWN_KID)\)/);
      expect(run.stdout).toBe('');
    }
  });
});
