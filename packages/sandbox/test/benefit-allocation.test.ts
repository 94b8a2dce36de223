import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { type Sandbox, startSandbox } from '../src/index.js';
import { type Identity, decryptWith, encryptFor, issueIdentity, mtlsAgent, send } from './helpers.js';

let sandbox: Sandbox;
let client: Identity;
let responseKey: Identity;
let agent: Agent;

beforeAll(async () => {
  sandbox = await startSandbox();
  [client, responseKey] = await Promise.all([issueIdentity(sandbox, 'mtls'), issueIdentity(sandbox, 'response-decryption')]);
  agent = mtlsAgent(sandbox, client);
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

async function call(method: string, path: string, payload: string) {
  const token = await encryptFor(sandbox, payload);
  const response = await send(`${sandbox.urls.benefitAllocation}${path}`, {
    method,
    body: JSON.stringify({ encryptedData: token }),
    dispatcher: agent,
  });
  if (response.status >= 400 || response.text.length === 0) return { status: response.status, body: response.text ? response.json() : undefined, kid: undefined };
  const wrapped = response.json() as { encryptedData: string };
  const { text, kid } = await decryptWith(wrapped.encryptedData, responseKey.privateKey);
  return { status: response.status, body: JSON.parse(text) as unknown, kid };
}

describe('Benefit Allocation over mTLS with JWE both ways', () => {
  it('assigns a segment and answers with the bundles, encrypted to the active response key', async () => {
    const result = await call('POST', '/card-segments', '{"cardNumber":5291070000000000,"segments":[{"code":"DART","effectiveDate":"2023-08-08"}]}');
    expect(result.status).toBe(200);
    expect(result.kid).toBe(responseKey.fingerprint);
    expect(result.body).toEqual({
      bundles: [
        { code: 'PC4657', effectiveDate: '2023-08-08' },
        { code: 'PC6323', effectiveDate: '2023-08-08' },
      ],
    });
  });

  it('keeps all 19 digits of a 19-digit card number', async () => {
    const pan = '5291070000000000123';
    const assigned = await call('POST', '/card-segments', `{"cardNumber":${pan},"segments":[{"code":"PRT","effectiveDate":"2024-01-01"}]}`);
    expect(assigned.status).toBe(200);
    // A lossy parse would have stored 5291070000000000000 and this replace would find nothing.
    const replaced = await call('PUT', '/card-segments-replacements', `{"cardNumber":${pan},"oldSegmentCode":"PRT","newSegmentCode":"DART","effectiveDate":"2024-02-01"}`);
    expect(replaced.status).toBe(200);
    const other = await call('PUT', '/card-segments-replacements', '{"cardNumber":5291070000000000000,"oldSegmentCode":"DART","newSegmentCode":"PRT","effectiveDate":"2024-03-01"}');
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ Errors: { Error: [{ ReasonCode: '43' }] } });
  });
});
