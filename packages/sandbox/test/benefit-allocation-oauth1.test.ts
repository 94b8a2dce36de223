// Issue #14 §1: the sandbox serves Benefit Allocation's OAuth 1.0a product on its OAuth 1.0a
// listener (as sandbox.api.mastercard.com/loyalty/benefits): encrypted `encryptedData` bodies,
// OAuth 1.0a over the exact bytes received (body hash), replay refused, no request token.
import { createOAuth1Signer, createRequestTokenSigner } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { X509Certificate } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Identity, decryptWith, encryptFor, issueIdentity, send } from './helpers.js';

let sandbox: Sandbox;
let agent: Agent;
let signingKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
let consumerKey: string;
let certificate: string;
let responseKey: Identity;

beforeAll(async () => {
  sandbox = await startSandbox({ requestTokenEnabled: true });
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ({ privateKey: signingKey } = await generateRsaKeyPair(2048));
  ({ consumerKey, certificate } = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey: signingKey, subject: { CN: 'signing' } }) }));
  responseKey = await issueIdentity(sandbox, 'response-decryption');
});
afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

let serial = 0;
const pan = '5291071234567890123';
// A new card each time: assigning DART twice to one card is (rightly) a 400.
const assign = async () => {
  serial += 1;
  return JSON.stringify({ encryptedData: await encryptFor(sandbox, `{"cardNumber":${BigInt(pan) + BigInt(serial)},"segments":[{"code":"DART","effectiveDate":"${new Date().toISOString().slice(0, 10)}"}]}`) });
};

async function post(body: string, authorization: string) {
  return send(`${sandbox.urls.benefitAllocationOAuth1}/card-segments`, { method: 'POST', body, headers: { authorization, 'content-type': 'application/json' }, dispatcher: agent });
}

describe('Benefit Allocation on the OAuth 1.0a listener', () => {
  it('is at <crossBorder origin>/loyalty/benefits', () => {
    expect(sandbox.urls.benefitAllocationOAuth1).toBe(`${sandbox.urls.crossBorder}/loyalty/benefits`);
  });

  it('answers an encrypted assign signed over the encrypted bytes, encrypted to the response key', async () => {
    const body = await assign();
    const signer = createOAuth1Signer({ consumerKey, signingKey });
    const response = await post(body, await signer.authorize({ method: 'POST', url: `${sandbox.urls.benefitAllocationOAuth1}/card-segments`, body }));
    expect(response.status).toBe(200);
    const token = (response.json() as { encryptedData: string }).encryptedData;
    expect(JSON.parse((await decryptWith(token, responseKey.privateKey)).text).bundles).toHaveLength(2);
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', auth: 'oauth1', decryption: 'encrypted', response: 'encrypted' });
  });

  it('refuses a signature over other bytes (body hash), a replayed nonce and a request token', async () => {
    const url = `${sandbox.urls.benefitAllocationOAuth1}/card-segments`;
    const signer = createOAuth1Signer({ consumerKey, signingKey });
    const body = await assign();
    // Signed over the plaintext, sent encrypted: the body hash does not match what arrived.
    const overPlaintext = await post(body, await signer.authorize({ method: 'POST', url, body: `{"cardNumber":${pan}}` }));
    expect(overPlaintext.status).toBe(401);
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'benefitAllocation', auth: expect.stringMatching(/^failed: body_hash/) });

    const authorization = await signer.authorize({ method: 'POST', url, body });
    expect((await post(body, authorization)).status).toBe(200);
    expect((await post(body, authorization)).status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toMatch(/^failed: nonce/);

    const tokens = createRequestTokenSigner({ consumerKey, signingKey, certificate: new X509Certificate(certificate) });
    const bearer = await post(body, `Bearer ${await tokens.authorize()}`);
    expect(bearer.status).toBe(401);
    expect(sandbox.log().at(-1)?.auth).toBe('failed: wrong authorization scheme');
  });

  it('Cross-Border paths on the same listener are untouched', async () => {
    const signer = createOAuth1Signer({ consumerKey, signingKey });
    const url = `${sandbox.urls.crossBorder}/send/v1/partners/SANDBOX_1234567/crossborder/rem_unknown`;
    const response = await send(url, { method: 'GET', headers: { authorization: await signer.authorize({ method: 'GET', url }) }, dispatcher: agent });
    expect(response.status).toBe(404);
    expect(sandbox.log().at(-1)).toMatchObject({ listener: 'crossBorder', auth: 'oauth1' });
  });
});
