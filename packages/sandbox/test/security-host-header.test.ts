import { createOAuth1Signer } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { firstEnvelopeError } from './helpers.js';
import { rawRequest } from './raw-http.js';

// Security regression (issue 12 item 12): the OAuth 1.0a check must use the URL the sandbox
// serves, not one built from the Host header, or a request signed for another service (same
// consumer key) is accepted here when sent with that service's Host.

let sandbox: Sandbox;
let signer: ReturnType<typeof createOAuth1Signer>;

beforeAll(async () => {
  sandbox = await startSandbox();
  const { privateKey } = await generateRsaKeyPair(2048);
  const { consumerKey } = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey, subject: { CN: 'host' } }) });
  signer = createOAuth1Signer({ consumerKey, signingKey: privateKey });
});

afterAll(async () => {
  await sandbox.close();
});

const path = '/send/partners/SANDBOX_1234567/crossborder/accounts';

async function sendWithHost(signedUrl: string, host: string) {
  const authorization = await signer.authorize({ method: 'GET', url: signedUrl });
  const port = Number(new URL(sandbox.urls.crossBorder).port);
  const bytes = [`GET ${path} HTTP/1.1`, `Host: ${host}`, `Authorization: ${authorization}`, 'Connection: close', '', ''].join('\r\n');
  return rawRequest({ port, tls: { ca: sandbox.caCertificate } }, bytes);
}

describe('security: the OAuth 1.0a check does not trust the Host header', () => {
  it('refuses a request signed for another host even when sent with that Host header', async () => {
    const answer = await sendWithHost(`https://api.elsewhere.example${path}`, 'api.elsewhere.example');
    expect(answer.status).toBe(401);
    const error = firstEnvelopeError(answer.json());
    expect(error).toMatchObject({ Source: 'OAuth.Signature', ReasonCode: 'AUTHENTICATION_FAILED' });
    // The acceptable base string names the sandbox's own origin.
    expect(error.Description).toContain(encodeURIComponent(sandbox.urls.crossBorder));
  });

  it('accepts a request signed for the sandbox URL whatever Host header it carries', async () => {
    const answer = await sendWithHost(`${sandbox.urls.crossBorder}${path}`, 'api.elsewhere.example');
    expect(answer.status).toBe(200);
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'oauth1', status: 200 });
  });
});
