// MTS EU/UK (`crossBorderMtls`): the Cross-Border and OAuth 2.0 listeners ask for a client
// certificate on top of each request's own credentials. The certificate is checked first, step
// by step, and a certificate revoked on the dashboard stops working on connections already open.
import { createRequestTokenSigner } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { crossBorderQuoteRequest, firstEnvelopeError, issueIdentity, mtlsAgent, send } from './helpers.js';

let sandbox: Sandbox;
let requestToken: ReturnType<typeof createRequestTokenSigner>;
const agents: Agent[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ crossBorderMtls: true, requestTokenEnabled: true });
  const { privateKey } = await generateRsaKeyPair(2048);
  const registered = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey, subject: { CN: 'signing' } }) });
  requestToken = createRequestTokenSigner({ consumerKey: registered.consumerKey, signingKey: privateKey, certificate: registered.certificate });
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await sandbox.close();
});

const quotePath = '/send/v1/partners/SANDBOX_1234567/crossborder/quotes';
const quote = async (agent: Agent, reference: string) =>
  send(`${sandbox.urls.crossBorder}${quotePath}`, {
    method: 'POST',
    body: JSON.stringify(crossBorderQuoteRequest(reference)),
    headers: { authorization: await requestToken.authorize() },
    dispatcher: agent,
  });
const checks = () => sandbox.log().at(-1)!.steps.map((step) => [step.check, step.result]);

describe('Cross-Border with crossBorderMtls', () => {
  it('checks the client certificate before the request token, and names it in the log', async () => {
    const identity = await issueIdentity(sandbox, 'mtls');
    const agent = mtlsAgent(sandbox, identity, 1);
    agents.push(agent);
    expect((await quote(agent, '0800600ACFQ')).status).toBe(200);
    const fingerprint = sandbox.dashboard.listKeys().find((key) => key.id === identity.id)!.certificateFingerprint;
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'request-token', clientCertificate: fingerprint, status: 200 });
    expect(checks().slice(0, 3)).toEqual([
      ['client certificate from the sandbox CA', 'passed'],
      ['certificate registered on the dashboard', 'passed'],
      ['request tokens accepted here', 'passed'],
    ]);
  });

  it('refuses a certificate revoked after the handshake on the connection already open, before the token is looked at', async () => {
    const identity = await issueIdentity(sandbox, 'mtls');
    const keptAlive = mtlsAgent(sandbox, identity, 1);
    agents.push(keptAlive);
    expect((await quote(keptAlive, '0800601ACFQ')).status).toBe(200);
    sandbox.dashboard.revokeKey(identity.id);
    const refused = await quote(keptAlive, '0800602ACFQ');
    expect(refused.status).toBe(401);
    expect(firstEnvelopeError(refused.json())).toMatchObject({ ReasonCode: 'AUTHENTICATION_FAILED', Description: expect.stringContaining('present an active certificate') });
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'failed: unknown client certificate', status: 401 });
    expect(checks()).toEqual([
      ['client certificate from the sandbox CA', 'passed'],
      ['certificate registered on the dashboard', 'failed'],
    ]);
    // A new connection with it does not get past the handshake.
    const fresh = mtlsAgent(sandbox, identity, 1);
    agents.push(fresh);
    await expect(quote(fresh, '0800603ACFQ')).rejects.toMatchObject({ code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) });
  });
});
