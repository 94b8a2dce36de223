import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Fixture, mcapi, startFixture } from './helpers.js';

let fixture: Fixture;
const pan = '5291070000000000123'; // 19 digits: above 2^53, must travel exactly
const today = new Date().toISOString().slice(0, 10);
const body = `{"cardNumber":${pan},"segments":[{"code":"DART","effectiveDate":"${today}"}]}`;

beforeAll(async () => {
  assertBuilt();
  fixture = await startFixture();
});
afterAll(() => fixture?.close());

describe('mcapi request: Benefit Allocation (mTLS + JWE) against the sandbox', () => {
  it('encrypts the exact 19-digit card number, sends it over mTLS, decrypts the answer and masks the PAN everywhere', async () => {
    const url = `${fixture.sandbox.urls.benefitAllocation}/card-segments`;
    const run = await mcapi(fixture.temp, ['request', 'POST', url, ...fixture.args, '-v', '-d', body, '-H', 'x-api-key: not-for-any-log-123']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).bundles.length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain(pan);
    expect(run.stderr).toContain('"cardNumber": "529107*********0123"');
    // Credential headers are traced redacted.
    expect(run.stderr).toContain('x-api-key: [REDACTED]');
    expect(run.stderr).not.toContain('not-for-any-log-123');
    // -v: plaintext, JWE header to the sandbox's key, the wrapper sent, response headers, decrypted body, timings.
    expect(run.stderr).toContain(`"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"${fixture.sandbox.requestEncryptionKeyFingerprint}"`);
    expect(run.stderr).toMatch(/\* body sent \(\d+ bytes\)\n {4}\{"encryptedData":"eyJ/);
    expect(run.stderr).toMatch(/\* HTTP 200 OK in [\d.]+ ms\n(.|\n)*content-type: application\/json/);
    expect(run.stderr).toMatch(/\* decrypted body \(kid [0-9a-f]{64}\)/);
    expect(run.stderr).toMatch(/\* timings: encrypt [\d.]+ ms, round trip .* total [\d.]+ ms/);
    expect(fixture.sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', auth: 'mtls', decryption: 'encrypted', response: 'encrypted', status: 200 });
  });

  it('--show-pan shows the card number with every digit, as serialised losslessly and sent', async () => {
    const run = await mcapi(fixture.temp, ['request', 'POST', `${fixture.sandbox.urls.benefitAllocation}/card-segments`, ...fixture.args, '-v', '--show-pan', '-d', body.replace(pan, '5291070000000000789')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('"cardNumber": 5291070000000000789,');
  });

  it('--json prints status, decrypted body, kid and timings; an API error exits 1 with the envelope', async () => {
    const ok = await mcapi(fixture.temp, ['request', 'POST', `${fixture.sandbox.urls.benefitAllocation}/card-segments`, ...fixture.args, '--json', '-d', body.replace(pan, '5291070000000000456')]);
    expect(ok.status, ok.stderr).toBe(0);
    const json = ok.json<{ status: number; decrypted: boolean; kid: string; api: string; body: { bundles: unknown[] }; timings: { totalMs: number } }>();
    expect(json).toMatchObject({ status: 200, decrypted: true, api: 'bas' });
    expect(json.kid).toMatch(/^[0-9a-f]{64}$/);
    expect(json.timings.totalMs).toBeGreaterThan(0);
    const bad = await mcapi(fixture.temp, ['request', 'POST', `${fixture.sandbox.urls.benefitAllocation}/card-segments`, ...fixture.args, '--json', '-d', '{"cardNumber":12}']);
    expect(bad.status).toBe(1);
    expect(bad.json<{ status: number }>().status).toBeGreaterThanOrEqual(400);
  });

  it('refuses bad usage with exit 64 and never takes a passphrase on the command line', async () => {
    const wrongMethod = await mcapi(fixture.temp, ['request', 'P O', 'https://x.test/']);
    expect(wrongMethod.status).toBe(64);
    const passphrase = await mcapi(fixture.temp, ['request', 'GET', 'https://x.test/', '--passphrase=hunter2-secret']);
    expect(passphrase.status).toBe(64);
    expect(passphrase.stderr).toContain('never taken as command-line values');
    expect(passphrase.stdout + passphrase.stderr).not.toContain('hunter2-secret');
    const invalid = await mcapi(fixture.temp, ['request', 'POST', `${fixture.sandbox.urls.benefitAllocation}/card-segments`, ...fixture.args, '-d', '{"cardNumber":']);
    expect(invalid.status).toBe(64);
    expect(invalid.stderr).toContain('--data is not valid JSON');
  });

  it('--help lists the options with examples', async () => {
    const run = await mcapi(fixture.temp, ['request', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: mcapi request METHOD URL');
    expect(run.stdout).toContain('--show-pan');
    expect(run.stdout).toContain('Examples:');
    const general = await mcapi(fixture.temp, []);
    expect(general.status).toBe(64);
    for (const command of ['request', 'sign', 'decrypt', 'encrypt', 'doctor']) expect(general.stdout).toContain(`  ${command}`);
  });
});
