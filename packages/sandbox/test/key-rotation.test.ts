import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOAuth1Signer } from '@mcapi/auth';
import { encrypt } from '@mcapi/jwe';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { crossBorderQuoteRequest, issueIdentity, mtlsAgent, send } from './helpers.js';

// What a client's key rotation needs to be seen from the Mastercard side: the request log names
// the credential that authenticated each call and the kid each request payload was encrypted to,
// and Mastercard's request-encryption certificate can be renewed with both accepted meanwhile.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

// A card of its own per call: assigning the same segment twice is refused.
let card = 0;
const segment = () => `{"cardNumber":${5291070000000000 + 100 * ++card},"segments":[{"code":"DART","effectiveDate":"2024-01-01"}]}`;

async function assign(agent: Agent, certificate: string | X509Certificate) {
  const token = await encrypt(segment(), { key: typeof certificate === 'string' ? new X509Certificate(certificate) : certificate });
  const before = sandbox.log().length;
  const response = await send(`${sandbox.urls.benefitAllocation}/card-segments`, { method: 'POST', body: JSON.stringify({ encryptedData: token }), dispatcher: agent });
  return { status: response.status, entry: sandbox.log().slice(before).at(-1)! };
}

describe('the request log during key rotation', () => {
  it("names each call's client certificate (the dashboard's certificateFingerprint) and request kid", async () => {
    const first = await issueIdentity(sandbox, 'mtls');
    const second = await issueIdentity(sandbox, 'mtls');
    const fingerprintOf = (id: string) => sandbox.dashboard.listKeys().find((key) => key.id === id)!.certificateFingerprint;
    const [a, b] = [mtlsAgent(sandbox, first), mtlsAgent(sandbox, second)];
    try {
      const viaFirst = await assign(a, sandbox.requestEncryptionCertificate);
      const viaSecond = await assign(b, sandbox.requestEncryptionCertificate);
      expect(viaFirst.status).toBe(200);
      expect(viaFirst.entry).toMatchObject({
        auth: 'mtls',
        credential: fingerprintOf(first.id),
        clientCertificate: fingerprintOf(first.id),
        requestKid: sandbox.requestEncryptionKeyFingerprint,
      });
      // The web dashboard's request page shows them.
      const detail = await (await request(`${sandbox.urls.dashboard}/ui/requests/${viaFirst.entry.id}`, { headers: { accept: 'text/html' } })).body.text();
      expect(detail).toContain(`<td class="mono" id="credential">${fingerprintOf(first.id)}</td>`);
      expect(detail).toContain(`<td class="mono" id="client-certificate">${fingerprintOf(first.id)}</td>`);
      expect(detail).toContain(`<td class="mono" id="request-kid">${sandbox.requestEncryptionKeyFingerprint}</td>`);
      expect(viaSecond.entry).toMatchObject({ credential: fingerprintOf(second.id), clientCertificate: fingerprintOf(second.id) });
      expect(fingerprintOf(first.id)).not.toBe(fingerprintOf(second.id));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('names the consumer key of an OAuth 1.0a call', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const { consumerKey } = sandbox.dashboard.registerSigningKey({ csr: createCsr({ privateKey, subject: { CN: 'signing' } }) });
    const url = `${sandbox.urls.crossBorder}/send/v1/partners/SANDBOX_1234567/crossborder/quotes`;
    const body = JSON.stringify(crossBorderQuoteRequest(`rot-${Date.now()}`));
    const authorization = await createOAuth1Signer({ consumerKey, signingKey: privateKey }).authorize({ method: 'POST', url, body });
    const agent = new Agent({ connect: { ca: sandbox.caCertificate } });
    try {
      const response = await send(url, { method: 'POST', body, headers: { authorization }, dispatcher: agent });
      expect(response.status).toBe(200);
      expect(sandbox.log().at(-1)).toMatchObject({ auth: 'oauth1', credential: consumerKey });
      // This listener asks for no client certificate (no crossBorderMtls): none is named.
      expect(sandbox.log().at(-1)!.clientCertificate).toBeUndefined();
    } finally {
      await agent.close();
    }
  });
});

describe('dashboard.renewRequestEncryptionCertificate()', () => {
  it('hands out a new certificate and accepts requests encrypted to the old one and the new one', async () => {
    const identity = await issueIdentity(sandbox, 'mtls');
    const agent = mtlsAgent(sandbox, identity);
    try {
      const old = { certificate: sandbox.requestEncryptionCertificate, kid: sandbox.requestEncryptionKeyFingerprint };
      const renewed = await sandbox.dashboard.renewRequestEncryptionCertificate();
      expect(renewed.fingerprint).not.toBe(old.kid);
      expect(sandbox.requestEncryptionKeyFingerprint).toBe(renewed.fingerprint);
      expect(sandbox.requestEncryptionCertificate).toBe(renewed.certificate);
      expect(sandbox.dashboard.requestEncryptionCertificate()).toEqual(renewed);
      // The renewed certificate is issued by the sandbox CA, like the first.
      expect(new X509Certificate(renewed.certificate).checkIssued(new X509Certificate(sandbox.caCertificate))).toBe(true);

      const viaOld = await assign(agent, old.certificate);
      const viaNew = await assign(agent, renewed.certificate);
      expect([viaOld.status, viaNew.status]).toEqual([200, 200]);
      expect([viaOld.entry.requestKid, viaNew.entry.requestKid]).toEqual([old.kid, renewed.fingerprint]);
    } finally {
      await agent.close();
    }
  });

  it('is saved with --state: a restarted sandbox hands out and accepts the renewed certificate', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mcapi-sandbox-renew-'));
    try {
      const first = await startSandbox({ state: directory });
      const renewed = await first.dashboard.renewRequestEncryptionCertificate();
      await first.close();
      const second = await startSandbox({ state: directory });
      try {
        expect(second.requestEncryptionKeyFingerprint).toBe(renewed.fingerprint);
        const identity = await issueIdentity(second, 'mtls');
        const agent = mtlsAgent(second, identity);
        try {
          const token = await encrypt(segment(), { key: new X509Certificate(renewed.certificate) });
          const response = await send(`${second.urls.benefitAllocation}/card-segments`, { method: 'POST', body: JSON.stringify({ encryptedData: token }), dispatcher: agent });
          expect(response.status).toBe(200);
          expect(second.log().at(-1)?.requestKid).toBe(renewed.fingerprint);
        } finally {
          await agent.close();
        }
      } finally {
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
