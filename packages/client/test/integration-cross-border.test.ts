// Against the real sandbox: OAuth 1.0a (signed per attempt) + JWE wrapper, over real TLS.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DeclinedError,
  NotFoundError,
  RateLimitError,
} from '../src/index.js';
import { digits, paymentRequest, quoteRequest, recordingSleep, startWorld, type World } from './helpers.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});
// A failed assertion must not leave a fault rule active for the next test.
afterEach(() => {
  world?.sandbox.dashboard.clearFaults();
});

describe('Cross-Border against the sandbox (OAuth 1.0a + JWE wrapper)', () => {
  it('quotes, pays with the quote, retrieves by id and by reference, all encrypted', async () => {
    const xb = world.client.crossBorder;
    const reference = `09${digits(10)}ACFQ`;
    const quote = await xb.quotes.create(quoteRequest(reference));
    const proposal = quote.proposals?.proposal?.[0];
    expect(proposal?.id).toMatch(/^pen_/);
    expect(typeof proposal?.fees_included).toBe('boolean');
    expect(typeof proposal?.charged_amount?.amount).toBe('string');
    const payment = await xb.payments.create({ transaction_reference: reference, proposal_id: proposal!.id! });
    expect(payment.status).toBe('SUCCESS');
    await expect(xb.payments.retrieve(payment.id!)).resolves.toMatchObject({ id: payment.id, status: 'SUCCESS' });
    await expect(xb.payments.retrieve({ reference })).resolves.toMatchObject({ id: payment.id });
    await expect(xb.payments.retrieve({ id: payment.id! })).resolves.toMatchObject({ id: payment.id });
    const log = world.sandbox.log().filter((entry) => entry.listener === 'crossBorder');
    expect(log.every((entry) => entry.auth === 'oauth1' && entry.response === 'encrypted')).toBe(true);
  });

  it('confirms, retrieves and cancels a confirmed quote', async () => {
    const xb = world.client.crossBorder;
    const reference = `401R${digits(8)}`;
    const quote = await xb.quotes.create(quoteRequest(reference));
    const id = { transactionReference: reference, proposalId: quote.proposals!.proposal![0]!.id! };
    await expect(xb.quotes.confirm(id)).resolves.toMatchObject({ status: 'CONFIRMED' });
    // A caller polling for CONFIRMED reads it inside `quote` (api-facts §2.14).
    const retrieved = await xb.quotes.retrieve(id);
    expect(retrieved.quote?.confirmStatus?.status).toBe('CONFIRMED');
    expect(retrieved.quote?.proposals?.[0]?.feesIncluded).toBe(true);
    expect(retrieved).not.toHaveProperty('confirmStatus');
    await expect(xb.quotes.cancel(id)).resolves.toMatchObject({ status: 'CANCELLED' });
  });

  it('cancels a pending payment', async () => {
    const xb = world.client.crossBorder;
    const payment = await xb.payments.create(paymentRequest(`06${digits(10)}`, '10.00'));
    expect(payment.status).toBe('PENDING');
    await expect(xb.payments.cancel(payment.id!)).resolves.toMatchObject({ status: 'SUCCESS' });
  });

  it('lists balances and retrieves one account with balance details', async () => {
    const xb = world.client.crossBorder;
    const accounts = await xb.balances.list({ includeBalance: false });
    expect(accounts.map((account) => account.accountId)).toContain('acct_ssq');
    const account = await xb.balances.retrieve('acct_ssq', { includeBalance: true });
    expect(typeof account.balanceDetails?.availableBalance?.amount).toBe('string');
  });

  it('maps declines, duplicates, unknown records and bad input to their classes', async () => {
    const xb = world.client.crossBorder;
    const declined = await xb.quotes.create(quoteRequest(`1${digits(8)}130105`)).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(DeclinedError);
    expect((declined as DeclinedError).errorDetailCode).toBe('130105');
    const reference = `09${digits(10)}ACFQ`;
    await xb.quotes.create(quoteRequest(reference));
    await expect(xb.quotes.create(quoteRequest(reference))).rejects.toBeInstanceOf(ConflictError);
    await expect(xb.payments.retrieve('rem_does_not_exist')).rejects.toBeInstanceOf(NotFoundError);
    await expect(xb.rates.list()).rejects.toBeInstanceOf(NotFoundError);
    await expect(xb.balances.retrieve('acct++@bc')).rejects.toBeInstanceOf(BadRequestError);
  });

  it("resubmits a SYSTEM_ERROR quote with identical parameters, as Mastercard asks, and it succeeds", async () => {
    const reference = `22S${digits(8)}501`;
    const mark = world.events.length;
    const quote = await world.client.crossBorder.quotes.create(quoteRequest(reference));
    expect(quote.transaction_reference).toBe(reference);
    expect(world.events.slice(mark).some((event) => event.type === 'retry' && event.reason?.includes('SYSTEM_ERROR'))).toBe(true);
  });

  it('retries a 429 after Retry-After and surfaces RateLimitError when it persists', async () => {
    const sleep = recordingSleep();
    const client = world.makeClient({ retry: { initialDelayMs: 20, maxDelayMs: 100, sleep } });
    world.sandbox.dashboard.addFault({ listener: 'crossBorder', path: '/send/partners/SANDBOX_1234567/crossborder/accounts', status: 429, retryAfterSeconds: 1, times: 1 });
    await expect(client.crossBorder.balances.list()).resolves.toBeInstanceOf(Array);
    // The injected sleep was asked for the server's Retry-After, not the 20 ms backoff.
    expect(sleep.waits).toEqual([1000]);
    world.sandbox.dashboard.addFault({ listener: 'crossBorder', path: '/send/partners/SANDBOX_1234567/crossborder/accounts', status: 429, retryAfterSeconds: 0, times: 5 });
    await expect(client.crossBorder.balances.list({ maxRetries: 1 })).rejects.toBeInstanceOf(RateLimitError);
    expect(sleep.waits).toEqual([1000, 0]);
  });

  it('retries a GET whose connection was reset mid-response', async () => {
    world.sandbox.dashboard.addFault({ listener: 'crossBorder', path: '/send/partners/SANDBOX_1234567/crossborder/accounts', method: 'GET', reset: true, times: 1 });
    const mark = world.events.length;
    await expect(world.client.crossBorder.balances.list()).resolves.toBeInstanceOf(Array);
    // Only this call's events: an earlier test's retry must not satisfy the check.
    const retries = world.events.slice(mark).filter((event) => event.type === 'retry');
    expect(retries).toHaveLength(1);
    const retry = retries.at(-1);
    expect(retry?.reason).toMatch(/idempotent/);
  });

  it('rejects a bad signature with AuthenticationError carrying the acceptable base string', async () => {
    const forger = world.makeClient({
      oauth1: { consumerKey: world.provisioned.consumerKey, signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    });
    const error = await forger.crossBorder.balances.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).acceptableBaseString).toMatch(/^GET&https%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsend%2Fpartners/);
    expect((error as AuthenticationError).message).not.toMatch(/oauth_signature="/);
  });
});
