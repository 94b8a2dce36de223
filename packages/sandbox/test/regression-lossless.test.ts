// Issue #12 item 1: the sandbox reads and writes bodies losslessly. A Cross-Border amount sent
// as the bare number 105.10 (the XML-derived samples do that) keeps its text, "105.10".
import { createOAuth1Signer } from '@mcapi/auth';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { crossBorderPaymentRequest, send } from './helpers.js';

let sandbox: Sandbox;
let agent: Agent;
let signingKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
let consumerKey: string;

beforeAll(async () => {
  sandbox = await startSandbox({});
  agent = new Agent({ connect: { ca: sandbox.caCertificate } });
  ({ privateKey: signingKey } = await generateRsaKeyPair(2048));
  consumerKey = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey: signingKey, subject: { CN: 'signing' } }) }).consumerKey;
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

async function post(path: string, body: string) {
  const url = `${sandbox.urls.crossBorder}${path}`;
  const authorization = await createOAuth1Signer({ consumerKey, signingKey }).authorize({ method: 'POST', url, body });
  return send(url, { method: 'POST', body, headers: { authorization }, dispatcher: agent });
}

describe('regression: the sandbox keeps numbers exact', () => {
  it('a payment for the bare number 105.10 echoes "105.10", not "105.1"', async () => {
    const body = JSON.stringify(crossBorderPaymentRequest('09XXXXXXX0190', { payment_amount: { amount: '__AMOUNT__', currency: 'USD' } })).replace(
      '"__AMOUNT__"',
      '105.10',
    );
    const response = await post('/send/v1/partners/SANDBOX_1234567/crossborder/payment', body);
    expect(response.status).toBe(200);
    expect(response.text).toContain('"payment_amount":{"amount":"105.10","currency":"USD"}');
  });
});
