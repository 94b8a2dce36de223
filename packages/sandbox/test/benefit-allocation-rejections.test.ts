import { createCertificateAuthority, createCsr, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Identity, encryptFor, issueIdentity, mtlsAgent, send } from './helpers.js';

let sandbox: Sandbox;
let client: Identity;
let agent: Agent;
const agents: Agent[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  [client] = await Promise.all([issueIdentity(sandbox, 'mtls'), issueIdentity(sandbox, 'response-decryption')]);
  agent = mtlsAgent(sandbox, client);
  agents.push(agent);
});

afterAll(async () => {
  await Promise.all(agents.map((each) => each.close()));
  await sandbox.close();
});

const assign = (pan = '5291070000000000') => `{"cardNumber":${pan},"segments":[{"code":"DART","effectiveDate":"2023-08-08"}]}`;
const url = () => `${sandbox.urls.benefitAllocation}/card-segments`;
type Envelope = { Errors: { Error: Array<{ Source: string; ReasonCode: string; Description: string; Recoverable: boolean; Details?: string }> } };
const firstError = (value: unknown) => (value as Envelope).Errors.Error[0]!;

describe('Benefit Allocation: TLS rejections like Mastercard (handshake, not HTTP)', () => {
  it('rejects a client without a certificate', async () => {
    const bare = mtlsAgent(sandbox);
    agents.push(bare);
    await expect(send(url(), { method: 'POST', body: '{}', dispatcher: bare })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('rejects a certificate from another CA', async () => {
    const ca = await createCertificateAuthority({ commonName: 'not the sandbox' });
    const { privateKey, publicKey } = await generateRsaKeyPair(2048);
    const certificate = issueCertificate({ issuer: ca, publicKey, subject: { CN: 'intruder' }, usage: 'client' });
    const foreign = mtlsAgent(sandbox, { certificate: certificate.toString(), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    agents.push(foreign);
    await expect(send(url(), { method: 'POST', body: '{}', dispatcher: foreign })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('drops connections with a revoked sandbox certificate', async () => {
    const revoked = await issueIdentity(sandbox, 'mtls');
    const revokedAgent = mtlsAgent(sandbox, revoked);
    agents.push(revokedAgent);
    sandbox.dashboard.revokeKey(revoked.id);
    await expect(send(url(), { method: 'POST', body: '{}', dispatcher: revokedAgent })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('logs nothing for rejected handshakes and serves good clients meanwhile', async () => {
    const before = sandbox.log().length;
    const response = await send(url(), { method: 'POST', body: JSON.stringify({ encryptedData: await encryptFor(sandbox, assign('5291070000000001')) }), dispatcher: agent });
    expect(response.status).toBe(200);
    expect(sandbox.log()).toHaveLength(before + 1);
  });
});

describe('Benefit Allocation: payload rejections in the BAS envelope', () => {
  it('refuses plaintext (every operation is x-mastercard-api-encrypted)', async () => {
    const response = await send(url(), { method: 'POST', body: assign(), dispatcher: agent });
    expect(response.status).toBe(400);
    expect(firstError(response.json())).toMatchObject({ Source: 'Benefit Allocation Service', ReasonCode: '50', Recoverable: false });
    expect(firstError(response.json()).Details).toMatch(/must be encrypted/);
    expect(sandbox.log().at(-1)).toMatchObject({ decryption: 'required', status: 400, auth: 'mtls' });
  });

  it('refuses a tampered JWE with one uniform error', async () => {
    const token = await encryptFor(sandbox, assign());
    const parts = token.split('.');
    const flip = (part: string) => (part.startsWith('A') ? `B${part.slice(1)}` : `A${part.slice(1)}`);
    for (const index of [1, 2, 3, 4]) {
      const tampered = parts.map((part, at) => (at === index ? flip(part) : part)).join('.');
      const response = await send(url(), { method: 'POST', body: JSON.stringify({ encryptedData: tampered }), dispatcher: agent });
      expect(response.status, `part ${index}`).toBe(400);
      expect(firstError(response.json()).Details).toBe('the encrypted payload could not be decrypted');
    }
    expect(sandbox.log().at(-1)).toMatchObject({ decryption: 'failed' });
  });

  it('refuses a JWE encrypted to another key and a non-string encryptedData', async () => {
    const { encrypt } = await import('@mcapi/jwe');
    const { publicKey } = await generateRsaKeyPair(2048);
    for (const body of [JSON.stringify({ encryptedData: await encrypt(assign(), { key: publicKey }) }), '{"encryptedData":42}']) {
      const response = await send(url(), { method: 'POST', body, dispatcher: agent });
      expect(response.status).toBe(400);
      expect(firstError(response.json()).ReasonCode).toBe('50');
    }
  });

  it('answers unknown paths 404, wrong methods 405 and broken JSON 400', async () => {
    expect((await send(`${sandbox.urls.benefitAllocation}/nowhere`, { method: 'POST', body: '{}', dispatcher: agent })).status).toBe(404);
    const wrongMethod = await send(`${sandbox.urls.benefitAllocation}/card-segments`, { method: 'GET', dispatcher: agent });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    const broken = await send(url(), { method: 'POST', body: '{"encryptedData":', dispatcher: agent });
    expect(broken.status).toBe(400);
    expect(firstError(broken.json()).ReasonCode).toBe('50');
  });

  it('answers PERMISSION_DENIED (403) for a card that belongs to another project', async () => {
    const other = await issueIdentity(sandbox, 'mtls', 'other-project');
    const otherAgent = mtlsAgent(sandbox, other);
    agents.push(otherAgent);
    const pan = '5291070000000002';
    expect((await send(url(), { method: 'POST', body: JSON.stringify({ encryptedData: await encryptFor(sandbox, assign(pan)) }), dispatcher: agent })).status).toBe(200);
    const denied = await send(`${sandbox.urls.benefitAllocation}/card-segments-cancellations`, {
      method: 'PUT',
      body: JSON.stringify({ encryptedData: await encryptFor(sandbox, `{"cardNumber":${pan},"segments":[{"code":"DART","expiryDate":"2024-01-01"}]}`) }),
      dispatcher: otherAgent,
    });
    expect(denied.status).toBe(403);
    expect(firstError(denied.json())).toMatchObject({ ReasonCode: 'PERMISSION_DENIED', Details: 'cardNumber not mapped to requester' });
  });

  it('never logs card numbers or credentials', async () => {
    await send(`${sandbox.urls.benefitAllocation}/cards?pan=5291070000000000`, { method: 'PUT', body: assign(), dispatcher: agent });
    const text = JSON.stringify(sandbox.log());
    expect(text).not.toContain('5291070000000000');
    expect(text).toContain('529107******0000');
  });
});

describe('Benefit Allocation: encryption may be made optional', () => {
  it('answers plaintext requests in plaintext when requireBenefitAllocation is false', async () => {
    const relaxed = await startSandbox({ encryption: { requireBenefitAllocation: false, benefitAllocationFieldName: 'encryptedValue' } });
    try {
      const { privateKey } = await generateRsaKeyPair(2048);
      const issued = relaxed.dashboard.signCsr({ csr: createCsr({ privateKey, subject: { CN: 'relaxed' } }), purpose: 'mtls' });
      const relaxedAgent = mtlsAgent(relaxed, { certificate: issued.certificate, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
      agents.push(relaxedAgent);
      const response = await send(`${relaxed.urls.benefitAllocation}/card-segments`, { method: 'POST', body: assign(), dispatcher: relaxedAgent });
      expect(response.status).toBe(200);
      expect(response.json()).toMatchObject({ bundles: [{ code: 'PC4657' }, { code: 'PC6323' }] });
      const encrypted = await send(`${relaxed.urls.benefitAllocation}/card-segments`, {
        method: 'POST',
        body: JSON.stringify({ encryptedValue: await encryptFor(relaxed, assign('5291070000000003')) }),
        dispatcher: relaxedAgent,
      });
      // No response-decryption key registered: the answer stays plaintext.
      expect(encrypted.status).toBe(200);
      expect(relaxed.log().at(-1)).toMatchObject({ decryption: 'encrypted', response: 'plaintext' });
    } finally {
      await relaxed.close();
    }
  });
});

describe('Benefit Allocation: revocation on an open connection', () => {
  it('answers 401 on a kept-alive connection once its certificate is revoked', async () => {
    const identity = await issueIdentity(sandbox, 'mtls');
    const keptAlive = mtlsAgent(sandbox, identity, 1);
    agents.push(keptAlive);
    const body = async (pan: string) => JSON.stringify({ encryptedData: await encryptFor(sandbox, assign(pan)) });
    expect((await send(url(), { method: 'POST', body: await body('5291070000000010'), dispatcher: keptAlive })).status).toBe(200);
    sandbox.dashboard.revokeKey(identity.id);
    const refused = await send(url(), { method: 'POST', body: await body('5291070000000011'), dispatcher: keptAlive });
    expect(refused.status).toBe(401);
    expect(firstError(refused.json()).ReasonCode).toBe('UNAUTHORIZED');
    expect(sandbox.log().at(-1)).toMatchObject({ auth: 'failed: unknown client certificate' });
    expect(sandbox.log().at(-1)!.steps.slice(0, 2)).toEqual([
      { check: 'client certificate from the sandbox CA', result: 'passed' },
      { check: 'certificate registered on the dashboard', result: 'failed', detail: 'revoked on the dashboard, or issued by another sandbox' },
    ]);
  });
});
