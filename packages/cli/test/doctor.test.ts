import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initKeyringDirectory } from '@mcapi/keytool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Fixture, mcapi, startFixture } from './helpers.js';
import { startRewritingProxy } from './rewriting-proxy.js';

interface Doctor {
  result: string;
  checks: { name: string; status: string; detail: string }[];
}

let fixture: Fixture;
beforeAll(async () => {
  assertBuilt();
  // The dashboard signs the mTLS certificate for 10 days: inside the 30-day warning window.
  fixture = await startFixture({}, { mtlsValidityDays: 10 });
});
afterAll(() => fixture?.close());

describe('mcapi doctor', () => {
  it('checks every key, expiry, TLS with the client certificate and clock against the sandbox; warns about the expiring mTLS certificate (exit 1)', async () => {
    const run = await mcapi(fixture.temp, ['doctor', ...fixture.args, '--json']);
    expect(run.status, run.stderr).toBe(1);
    const json = run.json<Doctor>();
    expect(json.result).toBe('warn');
    const byName = Object.fromEntries(json.checks.map((check) => [check.name, check]));
    expect(byName['mtls key (sandbox)']).toMatchObject({ status: 'warn' });
    expect(byName['mtls key (sandbox)']!.detail).toMatch(/expires in (9|10) days/);
    for (const name of ['keyring', 'signing key (sandbox)', 'request-encryption key (sandbox)', 'response-decryption key (sandbox)']) expect(byName[name]?.status, name).toBe('ok');
    const hosts = json.checks.filter((check) => /^(Benefit Allocation|Cross-Border) 127\.0\.0\.1:\d+$/.test(check.name));
    expect(hosts.map((check) => check.status)).toEqual(['ok', 'ok']);
    expect(hosts[0]!.detail).toContain('TLS with client certificate ok');
    expect(json.checks.filter((check) => check.name.startsWith('clock vs')).map((check) => check.status)).toEqual(['ok', 'ok']);
  });

  it('--offline skips the network; a keyring without keys fails naming the keytool command (exit 2)', async () => {
    const empty = join(fixture.temp, 'empty-keyring');
    await initKeyringDirectory({ keyring: empty });
    const run = await mcapi(fixture.temp, ['doctor', '--keyring', empty, '--offline']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('✗ mtls key (sandbox)');
    expect(run.stdout).toContain('mcapi-keytool csr --purpose mtls --environment sandbox');
    expect(run.stdout).toContain('--offline: connectivity, TLS and clock skew not checked');
  });

  it('fails a host whose certificate is not trusted (verification is never skipped)', async () => {
    const run = await mcapi(fixture.temp, ['doctor', '--keyring', fixture.keyring, '--api', 'cross-border', '--cross-border-url', fixture.sandbox.urls.crossBorder, '--json']);
    expect(run.status).toBe(2);
    const host = run.json<Doctor>().checks.find((check) => check.name.startsWith('Cross-Border'))!;
    expect(host.status).toBe('fail');
    expect(host.detail).toMatch(/^ERR_TLS_SERVER_UNTRUSTED/);
  });

  it('reports clock skew against a server whose Date is ten minutes off', async () => {
    const proxy = await startRewritingProxy(fixture.sandbox.urls.crossBorder, fixture.sandbox.caCertificate, { dateShiftSeconds: -600 });
    try {
      const ca = join(fixture.temp, 'doctor-proxy-ca.pem');
      await writeFile(ca, proxy.caPem);
      const run = await mcapi(fixture.temp, ['doctor', '--keyring', fixture.keyring, '--api', 'cross-border', '--cross-border-url', proxy.url, '--ca', ca]);
      expect(run.status).toBe(2);
      expect(run.stdout).toMatch(/✗ clock vs 127\.0\.0\.1:\d+ +this machine is (599|600|601) s ahead of the server: OAuth timestamps will be refused/);
    } finally {
      await proxy.close();
    }
  });
});
