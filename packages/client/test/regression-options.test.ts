// Regression (issue 12 item 9): options were silently dropped or reached Node unchecked. Every
// option is now checked at construction and per call with ERR_INVALID_OPTION, a dispatcher next
// to `ca` or `mtls` is refused (it owns the connections), and an unconfigured group is a plain
// object (no Proxy whose `toJSON` returned a rejected promise and killed the process).
import { generateKeyPairSync } from 'node:crypto';
import { inspect, types } from 'node:util';
import { publicKeyFingerprint } from '@mcapi/keys';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, createMastercardFetch, type McapiClient } from '../src/index.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = rsa();
const ours = rsa();
const encryption = { encryptionKey: server.publicKey, decryptionKeys: new Map([[publicKeyFingerprint(ours.publicKey), ours.privateKey]]) };
const environment = { benefitAllocation: { baseUrl: 'https://bas.test' }, crossBorder: { baseUrl: 'https://xb.test' } };
const invalid = (pattern: RegExp) => expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(pattern) });

describe('regression: a dispatcher next to ca or mtls is refused, not dropped', () => {
  const agent = new MockAgent();
  const mtls = { cert: '-----BEGIN CERTIFICATE-----', key: '-----BEGIN PRIVATE KEY-----' };

  it('createClient({ ca, mtls, dispatcher }) throws, naming the option the dispatcher would drop', () => {
    expect(() => createClient({ environment, encryption, ca: 'roots', mtls, dispatcher: agent })).toThrow(invalid(/mtls cannot be combined with dispatcher/));
    expect(() => createClient({ environment, encryption, ca: 'roots', dispatcher: agent })).toThrow(invalid(/ca cannot be combined with dispatcher/));
    expect(() => createClient({ environment, encryption, ca: 'roots', dispatcher: { crossBorder: agent } })).toThrow(invalid(/ca cannot be combined/));
    expect(() => createClient({ environment, encryption, mtls, dispatcher: { benefitAllocation: agent } })).toThrow(invalid(/mtls cannot be combined/));
  });

  it('createMastercardFetch refuses the same combinations', () => {
    expect(() => createMastercardFetch({ mtls, dispatcher: agent })).toThrow(invalid(/mtls cannot be combined with dispatcher/));
    expect(() => createMastercardFetch({ ca: 'roots', dispatcher: agent })).toThrow(invalid(/ca cannot be combined with dispatcher/));
  });

});

describe('regression: every option is checked at construction', () => {
  it.each([
    [{ timeout: -1 }, /timeout must be a positive number/],
    [{ timeout: Number.POSITIVE_INFINITY }, /timeout must be a positive number/],
    [{ maxRetries: -5 }, /maxRetries must be an integer from 0 to 10/],
    [{ maxRetries: 1.5 }, /maxRetries must be an integer/],
    [{ retry: { initialDelayMs: -1 } }, /retry.initialDelayMs/],
    [{ retry: { sleep: 'soon' } }, /retry.sleep must be a function/],
    [{ logger: 'console' }, /logger must be a function/],
    [{ correlationIdHeader: 'x id' }, /correlationIdHeader/],
    [{ dispatcher: { crossBorder: {} } }, /dispatcher.crossBorder must be an undici Dispatcher/],
    [{ crossBorder: { encrypt: 'yes' } }, /crossBorder.encrypt must be true or false/],
    [{ crossBorder: { partnerID: 'P1' } }, /crossBorder has no option "partnerID"/],
    [{ timeOut: 5_000 }, /options has no option "timeOut"/],
    [{ keyring: {} }, /keyring must be a keyring opened with openKeyring/],
  ])('%o is ERR_INVALID_OPTION', (options, message) => {
    expect(() => createClient({ environment, encryption, ...(options as object) })).toThrow(invalid(message));
  });

  it('the fetch adapter checks by the same rules', () => {
    expect(() => createMastercardFetch({ timeout: -1 })).toThrow(invalid(/createMastercardFetch: timeout must be a positive number/));
    expect(() => createMastercardFetch({ maxRetries: -5 })).toThrow(invalid(/maxRetries must be an integer from 0 to 10/));
  });
});

describe('regression: per-call options are checked by the same rules, before anything is sent', () => {
  let agent: MockAgent;
  let client: McapiClient;
  let sent: number;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    sent = 0;
    agent
      .get('https://xb.test')
      .intercept({ path: (path) => path.includes('/crossborder/'), method: 'GET' })
      .reply(200, () => {
        sent += 1;
        return '{"payment":{"id":"rem_1"}}';
      })
      .persist();
    client = createClient({ environment, encryption, crossBorder: { partnerId: 'P1', encrypt: false, authorizer: async () => ({ authorization: 'Test' }) }, dispatcher: agent });
  });
  afterEach(async () => {
    await client.close();
    await agent.close();
  });

  it.each([
    [{ timeout: -1 }, /timeout must be a positive number/],
    [{ timeout: 0 }, /timeout must be a positive number/],
    [{ maxRetries: -5 }, /maxRetries must be an integer from 0 to 10/],
    [{ maxRetries: 11 }, /maxRetries must be an integer from 0 to 10/],
    [{ signal: 'stop' }, /signal must be an AbortSignal/],
    [{ headers: { 'x-note': 1 } }, /headers\["x-note"\] must be a string/],
    [{ headers: { 'x-note': 'a\r\nx-evil: 1' } }, /control characters/],
    [{ correlationId: '' }, /correlationId must be a non-empty string/],
    [{ retries: 1 }, /options has no option "retries"/],
  ])('%o rejects with ERR_INVALID_OPTION', async (options, message) => {
    await expect(client.crossBorder.payments.retrieve('rem_1', options as never)).rejects.toThrow(invalid(message));
    expect(sent).toBe(0);
  });

  it('valid per-call options still go through', async () => {
    await expect(client.crossBorder.payments.retrieve('rem_1', { timeout: 5_000, maxRetries: 0 })).resolves.toEqual({ id: 'rem_1' });
    expect(sent).toBe(1);
  });
});

describe('regression: an unconfigured group is a plain object', () => {
  it('JSON.stringify, util.inspect and await do not call its methods; calls reject with a typed error', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const bare = createClient({ environment: 'sandbox' });
      expect(types.isProxy(bare.crossBorder)).toBe(false);
      expect(types.isProxy(bare.benefitAllocation)).toBe(false);
      expect(JSON.parse(JSON.stringify(bare))).toEqual({
        benefitAllocation: {},
        crossBorder: { quotes: {}, payments: {}, rates: {}, balances: {}, rfi: {}, accounts: {}, banks: {}, addresses: {}, endpointGuide: {}, cashPickup: {} },
      });
      expect(inspect(bare.crossBorder)).toContain('quotes');
      expect('then' in bare.crossBorder).toBe(false);
      await expect(bare.crossBorder.quotes.create({} as never)).rejects.toThrow(invalid(/client\.crossBorder is not configured/));
      await expect(bare.crossBorder.payments.retrieve('rem_1')).rejects.toThrow(invalid(/client\.crossBorder is not configured/));
      await expect(bare.crossBorder.rfi.retrieve('11')).rejects.toThrow(invalid(/client\.crossBorder is not configured/));
      await bare.close();
      // Give a stray rejection the turns it needs to be reported.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
  });
});
