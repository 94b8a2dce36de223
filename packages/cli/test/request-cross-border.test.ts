import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crossBorderQuoteRequest } from '@mcapi/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Fixture, mcapi, startFixture } from './helpers.js';
import { startRewritingProxy } from './rewriting-proxy.js';

let fixture: Fixture;
const partner = '/send/v1/partners/SANDBOX_1234567/crossborder';
const quote = (reference: string) => JSON.stringify(crossBorderQuoteRequest(reference));

beforeAll(async () => {
  assertBuilt();
  fixture = await startFixture();
});
afterAll(() => fixture?.close());

describe('mcapi request: Cross-Border (OAuth 1.0a + JWE) against the sandbox', () => {
  it('signs the encrypted body, sends it, decrypts the quote; -v shows the base string and a shortened signature', async () => {
    const file = join(fixture.temp, 'quote.json');
    await writeFile(file, quote('08123456789ACFQ'));
    const run = await mcapi(fixture.temp, ['request', 'POST', `${partner}/quotes`, ...fixture.args, '-v', '--data', `@${file}`]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"proposal"');
    expect(run.stderr).toContain('x-encrypted: true');
    expect(run.stderr).toMatch(/\* body sent \(\d+ bytes\)\n {4}\{"encrypted_payload":\{"data":"eyJ/);
    expect(run.stderr).toMatch(/\* signature base string\n {4}POST&https%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsend%2Fv1%2Fpartners%2FSANDBOX_1234567%2Fcrossborder%2Fquotes&oauth_body_hash%3D/);
    const authorization = run.stderr.match(/\* Authorization\n {4}(.*)/)?.[1] ?? '';
    expect(authorization).toContain(`oauth_consumer_key="${fixture.consumerKey}"`);
    // The signature (344 characters for RSA-2048, percent-encoded) is shown only by its ends.
    expect(authorization).toMatch(/oauth_signature="[^"…]{8}…[^"…]{6} \(\d+ chars\)"$/);
    expect(fixture.sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'oauth1', decryption: 'encrypted', response: 'encrypted', status: 200 });
  });

  it('--plain sends the Cross-Border body unencrypted, still signed', async () => {
    const run = await mcapi(fixture.temp, ['request', 'POST', `${partner}/quotes`, ...fixture.args, '--plain', '--json', '-d', quote('08123456789ACFR')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ status: 200, decrypted: false, api: 'cross-border' });
    expect(fixture.sandbox.log().at(-1)).toMatchObject({ auth: 'oauth1', decryption: 'plaintext' });
  });

  it('401 with another signing key: both base strings aligned, identical, cause named: the key does not belong to the consumer key', async () => {
    const other = join(fixture.temp, 'other-signing.pem');
    await writeFile(other, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const run = await mcapi(fixture.temp, ['request', 'GET', `${partner}?ref=08123456789ACFQ`, ...fixture.args, '--signing-key', other]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('HTTP 401 Unauthorized');
    expect(run.stderr).toContain('(identical)');
    const ours = [...run.stderr.matchAll(/^ {2}ours {4}(.*)$/gm)].map((m) => m[1]).join('');
    const theirs = [...run.stderr.matchAll(/^ {2}theirs {2}(.*)$/gm)].map((m) => m[1]).join('');
    expect(ours).toMatch(/^GET&https%3A%2F%2F127\.0\.0\.1/);
    expect(ours).toBe(theirs);
    expect(run.stderr).toContain('Likely cause: the base strings are identical, so the signature itself is wrong: the private key does not belong to the certificate registered for this consumer key');
  });

  it('401 with an unknown consumer key names the wrong consumer key (--json carries the diagnosis)', async () => {
    const run = await mcapi(fixture.temp, ['request', 'GET', `${partner}?ref=08123456789ACFQ`, ...fixture.args, '--consumer-key', 'NotAKey!abc', '--json']);
    expect(run.status).toBe(1);
    const json = run.json<{ status: number; diagnosis: { cause: { kind: string }; source: string; ours: string; theirs: string } }>();
    expect(json.status).toBe(401);
    expect(json.diagnosis.cause.kind).toBe('consumer-key');
    expect(json.diagnosis.source).toBe('OAuth.ConsumerKey');
    expect(json.diagnosis.ours).toContain('oauth_consumer_key%3DNotAKey%21abc');
    expect(run.stderr).toContain('Likely cause: a wrong consumer key');
  });

  it('401 behind a proxy that re-encodes a query value: the first difference is marked and named', async () => {
    const proxy = await startRewritingProxy(fixture.sandbox.urls.crossBorder, fixture.sandbox.caCertificate, { path: (path) => path.replace('%3A', ':') });
    try {
      const ca = join(fixture.temp, 'proxy-ca.pem');
      await writeFile(ca, proxy.caPem);
      const run = await mcapi(fixture.temp, ['request', 'GET', `${proxy.url}${partner}?ref=0812%3A3456789`, '--keyring', fixture.keyring, '--ca', ca]);
      expect(run.status).toBe(1);
      const lines = run.stderr.split('\n');
      // Each caret sits under a first difference of the two rows above it (both rows start with a
      // 10-character label): one under the proxy's port (the sandbox checks signatures over its
      // own origin), one under the re-encoded query value.
      const marked = lines.flatMap((line, at) => {
        if (!line.includes('^ first difference')) return [];
        const theirs = lines.slice(0, at).findLast((row) => row.startsWith('  theirs  '))!;
        const ours = lines.slice(0, at).findLast((row) => row.startsWith('  ours    '))!;
        const column = line.indexOf('^');
        return [{ ours, theirs, column }];
      });
      expect(marked.length).toBe(2);
      const query = marked.find(({ ours, column }) => ours.slice(column - 1, column + 4) === '%253A');
      expect(query, run.stderr).toBeDefined(); // ours: the signed %3A; theirs: a raw colon
      expect(query!.theirs.slice(query!.column - 1, query!.column + 2)).toBe('%3A');
      expect(run.stderr).toContain('Likely cause: the encoding of a query value: the parameter ref reached the gateway encoded differently');
      expect(run.stderr).toContain('The URL differs too');
    } finally {
      await proxy.close();
    }
  });

  it('401 behind a proxy that re-serialises the JSON body names the re-serialised body', async () => {
    const proxy = await startRewritingProxy(fixture.sandbox.urls.crossBorder, fixture.sandbox.caCertificate, { body: (body) => JSON.stringify(JSON.parse(body), null, 2) });
    try {
      const ca = join(fixture.temp, 'proxy-ca-2.pem');
      await writeFile(ca, proxy.caPem);
      const run = await mcapi(fixture.temp, ['request', 'POST', `${proxy.url}${partner}/quotes`, '--keyring', fixture.keyring, '--ca', ca, '--json', '-d', quote('08123456789ACFS')]);
      expect(run.status).toBe(1);
      expect(run.json<{ diagnosis: { cause: { kind: string } } }>().diagnosis.cause.kind).toBe('body-reserialised');
      expect(run.stderr).toContain('Likely cause: a re-serialised body');
    } finally {
      await proxy.close();
    }
  });
});

describe('mcapi request: a gateway whose clock is ten minutes ahead', () => {
  let skewed: Fixture;
  beforeAll(async () => {
    skewed = await startFixture({ now: () => Date.now() + 600_000 });
  });
  afterAll(() => skewed?.close());

  it('401 names clock skew', async () => {
    const run = await mcapi(skewed.temp, ['request', 'GET', `${partner}?ref=08123456789ACFQ`, ...skewed.args]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Likely cause: clock skew: oauth_timestamp is outside the gateway\'s window');
  });
});
