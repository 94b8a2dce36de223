// `mcapi request --auth oauth2`: FAPI 2.0 client credentials (private_key_jwt + DPoP) against the
// sandbox's OAuth 2.0 listener, with the built binary.
import { crossBorderQuoteRequest } from '@mcapi/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Fixture, mcapi, startFixture } from './helpers.js';

let fixture: Fixture;
let clientId: string;
let oauth2: string[];
const partner = '/send/v1/partners/SANDBOX_1234567/crossborder';
const quote = (reference: string) => JSON.stringify(crossBorderQuoteRequest(reference));
// A compact JWS (an access token, a DPoP proof or a client assertion): never printed whole.
const compactJws = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{20,}/;

beforeAll(async () => {
  assertBuilt();
  fixture = await startFixture();
  // The client's key is the keyring's signing key (the CLI's default); the sandbox's default kid
  // is its RFC 7638 thumbprint, which is also the CLI's default.
  const signing = fixture.sandbox.dashboard.listKeys().find((key) => key.purpose === 'signing')!;
  ({ clientId } = fixture.sandbox.oauth2.registerClient({ publicKey: signing.certificate }));
  // The last --cross-border-url wins: the OAuth 2.0 listener serves the Cross-Border paths.
  oauth2 = [...fixture.args, '--cross-border-url', fixture.sandbox.urls.oauth2, '--auth', 'oauth2', '--client-id', clientId];
});
afterAll(() => fixture?.close());

describe('mcapi request --auth oauth2 against the sandbox', () => {
  it('gets a DPoP-bound token with private_key_jwt, sends the encrypted quote with it, decrypts the answer; -v shows the token requests and the proof', async () => {
    const run = await mcapi(fixture.temp, ['request', 'POST', `${partner}/quotes`, ...oauth2, '-v', '-d', quote('08123456789BCFQ')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"proposal"');
    expect(run.stderr).toContain(`Cross-Border: OAuth 2.0 (FAPI 2.0: client ${clientId}, private_key_jwt kid `);
    // The sandbox asks for its DPoP nonce first (RFC 9449 §8), then issues the token.
    const origin = fixture.sandbox.urls.oauth2;
    expect(run.stderr).toMatch(new RegExp(`\\* token request POST ${origin}/oauth2/token → 400 use_dpop_nonce in .*\\n\\* token request POST ${origin}/oauth2/token → 200 in `));
    expect(run.stderr).toMatch(/\* Authorization\n {4}DPoP [\w-]{8}…[\w-]{6} \(\d+ chars\)\n/);
    expect(run.stderr).toMatch(/\* DPoP proof \(header and claims; signature not shown\)\n {4}\{"alg":"ES256","typ":"dpop\+jwt","jwk":"EC P-256 public key"\}\n {4}\{[^\n]*"htm":"POST","htu":"https:\/\/127\.0\.0\.1:\d+\/send\/v1\/partners\/SANDBOX_1234567\/crossborder\/quotes"[^\n]*"ath":/);
    expect(run.stderr).not.toMatch(compactJws);
    expect(fixture.sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'oauth2-dpop', decryption: 'encrypted', response: 'encrypted', status: 200 });
    expect(fixture.sandbox.oauth2.tokenLog().at(-1)).toMatchObject({ grant: 'client_credentials', status: 200, clientId });
  });

  it('--json: the answer and nothing secret', async () => {
    const run = await mcapi(fixture.temp, ['request', 'GET', `${partner}?ref=08123456789BCFQ`, ...oauth2, '--json']);
    expect(run.status, run.stderr).toBe(1);
    // No payment has that reference: the gateway's 404, reached with a valid token.
    expect(run.json()).toMatchObject({ status: 404, api: 'cross-border' });
    expect(fixture.sandbox.log().at(-1)).toMatchObject({ auth: 'oauth2-dpop', status: 404 });
    expect(run.stdout + run.stderr).not.toMatch(compactJws);
  });

  it('a client the server does not know: the token request is refused with invalid_client, named, and no assertion is printed', async () => {
    const before = fixture.sandbox.log().length;
    const run = await mcapi(fixture.temp, ['request', 'POST', `${partner}/quotes`, ...oauth2, '--client-id', 'not-registered', '-v', '-d', quote('08123456789BCFR')]);
    // The command failed (exit 2), naming the server's error.
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('invalid_client');
    expect(run.stderr).not.toMatch(compactJws);
    // Without a token the API call is never made.
    expect(fixture.sandbox.log().length).toBe(before);
  });

  it('refuses what cannot work, before any network: no client id, Benefit Allocation, mcapi sign', async () => {
    const noClient = await mcapi(fixture.temp, ['request', 'GET', `${partner}?ref=1`, ...fixture.args, '--auth', 'oauth2']);
    expect(noClient.status).toBe(64);
    expect(noClient.stderr).toContain('--auth oauth2 needs --client-id ID');
    const bas = await mcapi(fixture.temp, ['request', 'PUT', '/loyalty/benefits/cards', ...oauth2, '-d', '{}']);
    expect(bas.status).toBe(64);
    expect(bas.stderr).toContain('Benefit Allocation authenticates with mutual TLS');
    const sign = await mcapi(fixture.temp, ['sign', 'GET', `${partner}?ref=1`, ...oauth2]);
    expect(sign.status).toBe(64);
    expect(sign.stderr).toContain('use mcapi request --auth oauth2 -v');
  });
});
