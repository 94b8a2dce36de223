import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { type Sandbox, type SandboxOptions, startSandbox } from '@mcapi/sandbox';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ProvisionedKeyring, provisionKeyring, sandboxClientOptions } from '../demo/provision.js';
import { type ClientLogEvent, type ClientOptions, createClient, type McapiClient, type PaymentRequest, type QuoteRequest } from '../src/index.js';

/** A sandbox, a provisioned keyring in a temp dir and a client on both; `close()` undoes all. */
export interface World {
  sandbox: Sandbox;
  provisioned: ProvisionedKeyring;
  client: McapiClient;
  events: ClientLogEvent[];
  makeClient(overrides?: Partial<ClientOptions>): McapiClient;
  close(): Promise<void>;
}

export async function startWorld(overrides: Partial<ClientOptions> = {}, sandboxOptions: SandboxOptions = {}): Promise<World> {
  const sandbox = await startSandbox(sandboxOptions);
  const temp = await mkdtemp(join(tmpdir(), 'mcapi-client-test-'));
  const clients: McapiClient[] = [];
  try {
    const provisioned = await provisionKeyring(sandbox, join(temp, 'keyring'));
    const events: ClientLogEvent[] = [];
    const makeClient = (more: Partial<ClientOptions> = {}) => {
      const client = createClient({
        ...sandboxClientOptions(sandbox, provisioned.keyring),
        retry: { initialDelayMs: 20, maxDelayMs: 100 },
        logger: (event) => events.push(event),
        ...overrides,
        ...more,
      });
      clients.push(client);
      return client;
    };
    const client = makeClient();
    return {
      sandbox,
      provisioned,
      client,
      events,
      makeClient,
      async close() {
        await Promise.all(clients.map((c) => c.close()));
        await sandbox.close();
        await rm(temp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sandbox.close();
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One {@link World} for a whole test file: started before its tests, closed after them. Read it
 * through `.world` inside tests (it does not exist while the file is only being collected).
 */
export function worldPerFile(overrides: Partial<ClientOptions> = {}, sandboxOptions: SandboxOptions = {}): { readonly world: World } {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(overrides, sandboxOptions);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });
  return {
    get world(): World {
      if (world === undefined) throw new Error('the world is started in beforeAll: use it inside a test');
      return world;
    },
  };
}

/** A fresh 16- or 19-digit test PAN in Mastercard's 529107 range. */
export function randomPan(digits: 16 | 19 = 16): string {
  let pan = '529107';
  while (pan.length < digits) pan += String(randomInt(10));
  return pan;
}

export const today = () => new Date().toISOString().slice(0, 10);

/** `n` random decimal digits (transaction references, PAN tails). */
export const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** The sandbox's forward USD → GBP P2P quote request (sandbox.md scenario references). */
export const quoteRequest = (reference: string, amount = '105.15'): QuoteRequest => ({
  transaction_reference: reference,
  sender_account_uri: 'tel:+254108989',
  recipient_account_uri: 'ewallet:paypal_user011',
  payment_amount: { amount, currency: 'USD' },
  payment_origination_country: 'USA',
  payment_type: 'P2P',
  quote_type: { forward: { receiver_currency: 'GBP', fees_included: true } },
});

/**
 * After a key rotation with requests flowing: the old key was seen (the rotation really happened
 * mid-run) and the last ten requests all used the new one. `seen` is what the sandbox log shows
 * per request (credential, clientCertificate or requestKid); `next` is how it names both keys.
 */
export function expectSwitched(seen: readonly (string | undefined)[], next: { seenAs: string; replacedSeenAs: string }): void {
  expect(seen).toContain(next.replacedSeenAs);
  expect(seen.slice(-10)).toEqual(Array(10).fill(next.seenAs));
}

/**
 * A P2P payment without a quote (USD → GBP to a bank account), named people included. The
 * reference's first two digits pick the sandbox's outcome: 09 SUCCESS, 06 PENDING, 8…RR RETURNED.
 */
export const paymentRequest = (reference: string, amount = '10.10'): PaymentRequest => ({
  transaction_reference: reference,
  sender_account_uri: 'tel:+254108989',
  recipient_account_uri: 'ban:4567899100001;bic=UNBECNSHXXX',
  payment_amount: { amount, currency: 'USD' },
  payment_origination_country: 'USA',
  payment_type: 'P2P',
  fx_type: { forward: { receiver_currency: 'GBP', fees_included: 'true' } },
  sender: { first_name: 'Ada', last_name: 'Lovelace' },
  recipient: { first_name: 'Alan', last_name: 'Turing' },
});

/** An injected retry sleep that records what it was asked to wait and returns at once. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  return Object.assign(async (ms: number) => {
    waits.push(ms);
  }, { waits });
}

/**
 * A mark in the sandbox's request log: the id of its latest entry. Ids keep counting when the log
 * (1,000 entries) drops its oldest, so a mark stays valid however many requests a suite sent
 * before it; a position (`log().length`) does not.
 */
export const logMark = (sandbox: Sandbox): number => sandbox.log().at(-1)?.id ?? 0;

/** The sandbox's request log entries written after `mark` (see {@link logMark}). */
export const logSince = (sandbox: Sandbox, mark: number) => sandbox.log().filter((entry) => entry.id > mark);

/**
 * A key rotation with requests in flight: two workers send `call` one after another; once the
 * first has completed (not after a guessed pause), `rotate` runs, and the workers go on until ten
 * more requests have completed after it. Returns the failures, how many were sent, and the
 * sandbox log entries of the run.
 */
export async function whileRequestsFlow(sandbox: Sandbox, call: () => Promise<unknown>, rotate: () => Promise<void>) {
  const before = logMark(sandbox);
  let rotated = false;
  let afterRotation = 0;
  let sent = 0;
  const failures: unknown[] = [];
  let firstDone!: () => void;
  const started = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  const worker = async () => {
    while (!rotated || afterRotation < 10) {
      const wasRotated = rotated;
      sent += 1;
      await call().catch((error: unknown) => {
        failures.push(error);
      });
      firstDone();
      if (wasRotated) afterRotation += 1;
    }
  };
  const run = Promise.all([worker(), worker()]);
  await started;
  await rotate();
  rotated = true;
  await run;
  return { failures, sent, entries: logSince(sandbox, before) };
}

/** A partner's HTTPS server identity for a webhook on 127.0.0.1: a certificate from a CA of its own. */
export interface PartnerServerTls {
  cert: string;
  key: string;
  /** The partner's CA, which the sandbox is told to trust when the webhook is registered. */
  ca: string;
}

/** Makes a {@link PartnerServerTls} (a fresh CA and an RSA-2048 server key, valid 2 days). */
export async function partnerServerTls(): Promise<PartnerServerTls> {
  const ca = await createCertificateAuthority({ commonName: 'partner test CA' });
  const pair = await generateRsaKeyPair(2048);
  const cert = issueCertificate({ issuer: ca, publicKey: pair.publicKey, subject: { CN: 'localhost' }, usage: 'server', ipAddresses: ['127.0.0.1'], validityDays: 2 });
  return { cert: cert.toString(), key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), ca: ca.certificate.toString() };
}
