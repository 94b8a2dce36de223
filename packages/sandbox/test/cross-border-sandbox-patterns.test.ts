import { describe, expect, it } from 'vitest';
import { emptyCrossBorderState } from '../src/cross-border/cross-border-state.js';
import { findCrossBorderOperation } from '../src/cross-border/cross-border-routes.js';
import type { ServiceResponse } from '../src/service-types.js';
import { crossBorderPaymentRequest, crossBorderQuoteRequest, firstEnvelopeError } from './helpers.js';

// api-facts §2.11, driven through the same routing the gateway uses (no network: the HTTP and
// OAuth layers are covered in cross-border-gateway.test.ts).

const partner = 'SANDBOX_1234567';
const quotesPath = `/send/v1/partners/${partner}/crossborder/quotes`;
const paymentPath = `/send/v1/partners/${partner}/crossborder/payment`;
const confirmPath = `/send/partners/${partner}/crossborder/quotes/confirmations`;
const cancelQuotePath = `/send/partners/${partner}/crossborder/quotes/cancellations`;

function sandboxState() {
  const state = emptyCrossBorderState();
  let clock = Date.UTC(2026, 0, 1);
  const call = (method: string, pathAndQuery: string, body?: unknown): ServiceResponse => {
    const url = new URL(pathAndQuery, 'https://sandbox.test');
    const route = findCrossBorderOperation(state, method, url.pathname);
    if (!('handler' in route)) return route;
    return route.handler({ method, path: route.path, params: route.params, query: url.searchParams, body, project: 'p', now: clock });
  };
  return { state, call, advance: (ms: number) => (clock += ms) };
}

const reverse = { reverse: { sender_currency: 'USD' } };

const quoteRequest = crossBorderQuoteRequest;

const paymentRequest = crossBorderPaymentRequest;

const errorOf = (response: ServiceResponse) => firstEnvelopeError(response.body);
const detailCode = (response: ServiceResponse) => errorOf(response).Details?.Detail[0]?.Value;

type Proposal = { id: string; charged_amount: { amount: string; currency: string }; credited_amount: { amount: string; currency: string } };
const proposalOf = (response: ServiceResponse) => (response.body as { quote: { proposals: { proposal: Proposal[] } } }).quote.proposals.proposal[0]!;

describe('quotes (§2.11 quote table)', () => {
  const vsf = (...fields: Array<[string, string]>) => ({ additional_data: { data_field: fields.map(([name, value]) => ({ name, value })) } });
  const cases: Array<{ name: string; reference: string; overrides?: Record<string, unknown>; status: number; code?: string; source?: string }> = [
    { name: '08…ACFQ forward, fees included', reference: '0812345ACFQ', status: 200 },
    { name: '08…ACFQ forward, fees on top', reference: '0812346ACFQ', overrides: { quote_type: { forward: { fees_included: false, receiver_currency: 'GBP' } } }, status: 200 },
    { name: '08…ACRQ reverse', reference: '0812347ACRQ', overrides: { quote_type: reverse }, status: 200 },
    { name: '08…ACRQ with a forward quote type is refused', reference: '0812348ACRQ', status: 400, code: '082000', source: 'quote_type' },
    {
      name: '08…AOCFQ without URIs, VSF 701 + 7260',
      reference: '0812349AOCFQ',
      overrides: { sender_account_uri: undefined, recipient_account_uri: undefined, ...vsf(['701', 'USA'], ['7260', 'BANKWIRE']) },
      status: 200,
    },
    {
      name: '08…AOCRQ without URIs, reverse',
      reference: '0812350AOCRQ',
      overrides: { sender_account_uri: undefined, recipient_account_uri: undefined, quote_type: reverse, ...vsf(['701', 'USA'], ['7260', 'CARD']) },
      status: 200,
    },
    { name: '1…130105 rejected with that code', reference: '1XXXXXXXX130105', status: 402, code: '130105' },
    { name: '1…130113 rejected with that code', reference: '1XXXXXXXX130113', status: 402, code: '130113' },
    {
      name: '2…092000 without URIs and only VSF 701',
      reference: '2XXXXXXXX092000',
      overrides: { sender_account_uri: undefined, recipient_account_uri: undefined, ...vsf(['701', 'USA']) },
      status: 400,
      code: '092000',
      source: 'Additional Data-7260-Beneficiary payment instrument',
    },
    { name: 'one URI without the other', reference: '0899999ACFQ', overrides: { recipient_account_uri: undefined }, status: 400, code: '092000', source: 'recipient_account_uri' },
    { name: '07…TO times out at the gateway', reference: '07XXXXTO', status: 504, source: 'Gateway' },
    { name: 'missing payment amount', reference: '0811111ACFQ', overrides: { payment_amount: undefined }, status: 400, code: '092000', source: 'payment_amount' },
    { name: 'bad currency', reference: '0811112ACFQ', overrides: { payment_amount: { amount: '1', currency: 'usd' } }, status: 400, code: '082000', source: 'payment_amount.currency' },
    { name: 'forbidden character in the reference', reference: '08a|bACFQ', status: 400, code: '062000', source: 'transaction_reference' },
  ];
  it.each(cases)('$name', ({ reference, overrides, status, code, source }) => {
    const { call } = sandboxState();
    const response = call('POST', quotesPath, quoteRequest(reference, overrides));
    expect(response.status).toBe(status);
    if (status === 200) {
      const proposal = proposalOf(response);
      expect(proposal.id).toMatch(/^pen_\d+$/);
      expect(Number(proposal.credited_amount.amount)).toBeGreaterThan(0);
    } else {
      if (code !== undefined) expect(detailCode(response)).toBe(code);
      if (source !== undefined) expect(errorOf(response).Source).toBe(source);
    }
  });

  it('prices forward quotes with fees inside and reverse quotes from the received amount', () => {
    const { call } = sandboxState();
    const inside = proposalOf(call('POST', quotesPath, quoteRequest('0800001ACFQ')));
    expect(inside.charged_amount).toEqual({ amount: '105.15', currency: 'USD' });
    expect(inside.credited_amount).toEqual({ amount: ((105.15 - 5.25) * 0.7858).toFixed(2), currency: 'GBP' });
    const back = proposalOf(
      call('POST', quotesPath, quoteRequest('0800002ACRQ', { quote_type: reverse, payment_amount: { amount: '100', currency: 'GBP' } })),
    );
    expect(back.credited_amount).toEqual({ amount: '100.00', currency: 'GBP' });
    expect(back.charged_amount).toEqual({ amount: (100 / 0.7858 + 5.25).toFixed(2), currency: 'USD' });
  });

  it('declines a reused transaction reference with 409', () => {
    const { call } = sandboxState();
    expect(call('POST', quotesPath, quoteRequest('0800003ACFQ')).status).toBe(200);
    const again = call('POST', quotesPath, quoteRequest('0800003ACFQ'));
    expect(again.status).toBe(409);
    expect(errorOf(again)).toMatchObject({ ReasonCode: 'DECLINE', Source: 'transaction_reference' });
  });

  it('22S…501: 150001 first, an identical resubmit succeeds, a changed one gets 082000', () => {
    const { call } = sandboxState();
    const first = call('POST', quotesPath, quoteRequest('22SXXXX501'));
    expect(first.status).toBe(500);
    expect(detailCode(first)).toBe('150001');
    expect(call('POST', quotesPath, quoteRequest('22SXXXX501')).status).toBe(200);

    const other = sandboxState();
    other.call('POST', quotesPath, quoteRequest('22SYYYY501'));
    const changed = other.call('POST', quotesPath, quoteRequest('22SYYYY501', { payment_amount: { amount: '99', currency: 'USD' } }));
    expect(changed.status).toBe(400);
    expect(detailCode(changed)).toBe('082000');
  });
});

describe('payments (§2.11 payment table)', () => {
  const status = (response: ServiceResponse) => (response.body as { payment: { status: string } }).payment.status;
  const payment = (response: ServiceResponse) => (response.body as { payment: Record<string, unknown> }).payment;

  const cases: Array<{ name: string; reference: string; recipient?: string; status: number; paymentStatus?: string; code?: string }> = [
    { name: '09… succeeds', reference: '09XXXXXXX0001', status: 200, paymentStatus: 'SUCCESS' },
    { name: '06… with recipient 10#### is pending', reference: '06XXXXXXX0002', status: 200, paymentStatus: 'PENDING' },
    { name: '06… with another recipient succeeds', reference: '06XXXXXXX0003', recipient: 'ban:45678993999999', status: 200, paymentStatus: 'SUCCESS' },
    { name: '04… with recipient 10#### is rejected', reference: '04XXXXXXX0004', status: 200, paymentStatus: 'REJECTED' },
    { name: '2…130105 is declined with that code', reference: '2XXXXXXXX130105', status: 402, code: '130105' },
    { name: '2…082000 is refused with that code', reference: '2XXXXXXXX082000', status: 400, code: '082000' },
    { name: '11S…501 is pending/ambiguous', reference: '11SXXXXX501', status: 200, paymentStatus: 'PENDING' },
  ];
  it.each(cases)('$name', ({ reference, recipient, status: expected, paymentStatus, code }) => {
    const { call } = sandboxState();
    const response = call('POST', paymentPath, paymentRequest(reference, recipient ? { recipient_account_uri: recipient } : {}));
    expect(response.status).toBe(expected);
    if (paymentStatus) expect(status(response)).toBe(paymentStatus);
    if (code) expect(detailCode(response)).toBe(code);
  });

  it('06… pending payments can be cancelled, others cannot', () => {
    const { call } = sandboxState();
    const pending = payment(call('POST', paymentPath, paymentRequest('06XXXXXXX0010')));
    expect(pending.pending_stage).toBe('Processing');
    const cancel = call('POST', `/send/v1/partners/${partner}/crossborder/${String(pending.id)}/cancel`, {});
    expect(cancel).toMatchObject({ status: 200, body: { cancelpayment: { status: 'SUCCESS' } } });
    const done = payment(call('POST', paymentPath, paymentRequest('09XXXXXXX0011')));
    const refused = call('POST', `/send/v1/partners/${partner}/crossborder/${String(done.id)}/cancel`, {});
    expect(refused.status).toBe(402);
    expect(detailCode(refused)).toBe('130111');
  });

  it('retrieves by id and by reference; unknown records are 110507 from GetPayment', () => {
    const { call } = sandboxState();
    const made = payment(call('POST', paymentPath, paymentRequest('09XXXXXXX0020')));
    expect(payment(call('GET', `/send/v1/partners/${partner}/crossborder/${String(made.id)}`))).toEqual(made);
    expect(payment(call('GET', `/send/v1/partners/${partner}/crossborder?ref=09XXXXXXX0020`))).toEqual(made);
    const missing = call('GET', `/send/v1/partners/${partner}/crossborder/rem_000`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatchObject({ ReasonCode: 'RESOURCE_UNKNOWN', Source: 'GetPayment' });
  });

  it('8…RR<code>: a later Retrieve Payment shows RETURNED with that code', () => {
    const { call } = sandboxState();
    const made = payment(call('POST', paymentPath, paymentRequest('8XXXXXXRR130101')));
    expect(made.status).toBe('SUCCESS');
    const later = payment(call('GET', `/send/v1/partners/${partner}/crossborder?ref=8XXXXXXRR130101`));
    expect(later).toMatchObject({ status: 'RETURNED', rejected_status: { Code: '130101' } });
  });

  it('11S…501: identical resubmit within 10 min stays pending, after 10 min succeeds; changed → 082000', () => {
    const { call, advance } = sandboxState();
    call('POST', paymentPath, paymentRequest('11SXXXXX501'));
    expect(status(call('POST', paymentPath, paymentRequest('11SXXXXX501')))).toBe('PENDING');
    advance(11 * 60_000);
    expect(status(call('POST', paymentPath, paymentRequest('11SXXXXX501')))).toBe('SUCCESS');
    const changed = call('POST', paymentPath, paymentRequest('11SXXXXX501', { payment_amount: { amount: '5', currency: 'USD' } }));
    expect(detailCode(changed)).toBe('082000');
  });

  it('08…TO times out, and Retrieve by reference then finds the payment', () => {
    const { call } = sandboxState();
    expect(call('POST', paymentPath, paymentRequest('08XXXXXTO')).status).toBe(504);
    expect(status(call('GET', `/send/v1/partners/${partner}/crossborder?ref=08XXXXXTO`))).toBe('SUCCESS');
  });

  it('pays with a quote: the quote fills the amounts; BadProposalId and reused references are declined', () => {
    const { call } = sandboxState();
    const proposal = proposalOf(call('POST', quotesPath, quoteRequest('09XXXXQ0030')));
    const paid = payment(
      call('POST', paymentPath, { paymentrequest: { transaction_reference: '09XXXXQ0030', proposal_id: proposal.id } }),
    );
    expect(paid).toMatchObject({ status: 'SUCCESS', proposal_id: proposal.id, charged_amount: proposal.charged_amount });
    expect(call('POST', paymentPath, { paymentrequest: { transaction_reference: '09XXXXQ0030', proposal_id: proposal.id } }).status).toBe(409);
    call('POST', quotesPath, quoteRequest('09XXXXQ0031'));
    const bad = call('POST', paymentPath, { paymentrequest: { transaction_reference: '09XXXXQ0031', proposal_id: 'BadProposalId' } });
    expect(errorOf(bad)).toMatchObject({ ReasonCode: 'DECLINE', Source: 'proposal_id' });
  });

  it('without a quote every required field is checked (092000 naming the field)', () => {
    const { call } = sandboxState();
    for (const field of ['sender_account_uri', 'recipient_account_uri', 'payment_amount', 'payment_origination_country', 'fx_type', 'payment_type']) {
      const response = call('POST', paymentPath, paymentRequest(`09MISSING${field}`, { [field]: undefined }));
      expect(response.status, field).toBe(400);
      expect(errorOf(response), field).toMatchObject({ ReasonCode: 'MISSING_REQUIRED_INPUT', Source: field });
    }
  });
});

describe('quote confirmation, cancellation and retrieval (§2.11 confirmation table)', () => {
  function quoted(reference: string) {
    const sandbox = sandboxState();
    const proposal = proposalOf(sandbox.call('POST', quotesPath, quoteRequest(reference)));
    const body = { transactionReference: reference, proposalId: proposal.id };
    return { ...sandbox, proposal, body };
  }
  const retrieve = (call: ReturnType<typeof sandboxState>['call'], reference: string, proposalId: string) =>
    call('GET', `/send/partners/${partner}/crossborder/quotes/${reference}/proposals/${proposalId}`);

  const confirmCases: Array<{ name: string; reference: string; status: number; body?: Record<string, unknown>; code?: string }> = [
    { name: '40… is confirmed', reference: '40XXXXXX0001', status: 200, body: { status: 'CONFIRMED' } },
    { name: '41… is pending/ambiguous', reference: '41XXXXXX0002', status: 200, body: { status: 'PENDING', stage: 'Ambiguous' } },
    { name: '44…130194 is rejected', reference: '44XXXXXX130194', status: 402, code: '130194' },
    { name: '44…130195 is rejected', reference: '44XXXXXX130195', status: 402, code: '130195' },
    { name: '44…130196 is rejected', reference: '44XXXXXX130196', status: 402, code: '130196' },
    { name: '44…082000 is rejected', reference: '44XXXXXX082000', status: 400, code: '082000' },
    { name: '41CR…501 first gives 150001', reference: '41CRXXXX501', status: 500, code: '150001' },
  ];
  it.each(confirmCases)('$name', ({ reference, status, body, code }) => {
    const { call, body: request } = quoted(reference);
    const response = call('POST', confirmPath, request);
    expect(response.status).toBe(status);
    if (body) expect(response.body).toMatchObject({ transactionReference: reference, ...body });
    if (code) expect(detailCode(response)).toBe(code);
  });

  it('42…: late confirmation offers a new proposal, which can then be confirmed', () => {
    const { call, body } = quoted('42XXXXXX0003');
    const late = call('POST', confirmPath, body);
    expect(late.body).toMatchObject({ status: 'PENDING', stage: 'Expired' });
    const proposals = (late.body as { proposedQuote: { proposals: Array<{ id: string; chargedAmount: unknown }> } }).proposedQuote.proposals;
    expect(proposals[0]!.chargedAmount).toBeDefined();
    // The new offer is a priced proposal, not an echo of the expired one.
    expect(proposals[0]!.chargedAmount).toMatchObject({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'USD' });
    expect(proposals[0]!.id).not.toBe(body.proposalId);
    expect(call('POST', confirmPath, { ...body, proposalId: proposals[0]!.id }).body).toMatchObject({ status: 'CONFIRMED' });
  });

  it('41CR…501: an identical resubmit after 5 minutes succeeds', () => {
    const { call, advance, body } = quoted('41CRXXXX502501');
    expect(call('POST', confirmPath, body).status).toBe(500);
    expect(call('POST', confirmPath, body).status).toBe(500);
    advance(6 * 60_000);
    expect(call('POST', confirmPath, body).body).toMatchObject({ status: 'CONFIRMED' });
  });

  it('a second confirmation is declined 130194', () => {
    const { call, body } = quoted('40XXXXXX0004');
    call('POST', confirmPath, body);
    expect(detailCode(call('POST', confirmPath, body))).toBe('130194');
  });

  it('401R…: confirm then cancel → CANCELLED with the released amount', () => {
    const { call, body, proposal } = quoted('401RXXXX0005');
    call('POST', confirmPath, body);
    expect(call('POST', cancelQuotePath, body).body).toMatchObject({ status: 'CANCELLED', releasedReservedAmount: proposal.charged_amount });
    expect(detailCode(call('POST', cancelQuotePath, body))).toBe('130197');
  });

  it.each(['504', '505'])('402…%s: cancel → PENDING/Ambiguous', (suffix) => {
    const { call, body } = quoted(`402XXXX${suffix}`);
    call('POST', confirmPath, body);
    expect(call('POST', cancelQuotePath, body).body).toMatchObject({ status: 'PENDING', stage: 'Ambiguous' });
  });

  it.each(['130197', '130111', '082000'])('401…%s: cancel rejected with that code', (code) => {
    const { call, body } = quoted(`401XXXX${code}`);
    call('POST', confirmPath, body);
    expect(detailCode(call('POST', cancelQuotePath, body))).toBe(code);
  });

  it('402CR…501: cancel gives 150001, an identical resubmit 1–30 min later succeeds', () => {
    const { call, advance, body } = quoted('402CRXXX501');
    call('POST', confirmPath, body);
    expect(detailCode(call('POST', cancelQuotePath, body))).toBe('150001');
    advance(2 * 60_000);
    expect(call('POST', cancelQuotePath, body).body).toMatchObject({ status: 'CANCELLED' });
  });

  it('retrieve: blank status before confirming, CONFIRMED after, 110507 for unknown references', () => {
    const { call, body, proposal } = quoted('40XXXXXX0006');
    const before = retrieve(call, '40XXXXXX0006', proposal.id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ transactionReference: '40XXXXXX0006', resourceType: 'quote', quote: { proposalId: proposal.id } });
    expect((before.body as { quote: object }).quote).not.toHaveProperty('confirmStatus');
    call('POST', confirmPath, body);
    // The status sits inside `quote`, as Mastercard's reference app reads it (api-facts §2.14).
    const after = retrieve(call, '40XXXXXX0006', proposal.id).body as { quote: Record<string, unknown> } & Record<string, unknown>;
    expect(after.quote).toMatchObject({ proposalId: proposal.id, confirmStatus: { status: 'CONFIRMED' }, paymentType: 'P2P' });
    expect(after.quote.proposals).toEqual([expect.objectContaining({ id: proposal.id, feesIncluded: 'true' })]);
    expect(typeof after.quote.statusTimestamp).toBe('string');
    expect(typeof after.quote.paymentSubmissionExpiryTime).toBe('string');
    expect(after).not.toHaveProperty('confirmStatus');
    const unknown = retrieve(call, '40UNUSED', proposal.id);
    expect(unknown.status).toBe(404);
    expect(detailCode(unknown)).toBe('110507');
  });

  it('confirming an unknown proposal is 110507', () => {
    const { call } = quoted('40XXXXXX0007');
    expect(detailCode(call('POST', confirmPath, { transactionReference: '40XXXXXX0007', proposalId: 'pen_nope' }))).toBe('110507');
  });
});

describe('balances (§2.11)', () => {
  const accounts = `/send/partners/${partner}/crossborder/accounts`;
  it('lists active accounts, with balances on request', () => {
    const { call } = sandboxState();
    const plain = call('GET', `${accounts}?include_balance=false`).body as Array<Record<string, unknown>>;
    expect(plain.map((account) => account.accountId)).toEqual(['acct_1001', 'acct_ssq']);
    expect(plain[0]).not.toHaveProperty('balanceDetails');
    const full = call('GET', `${accounts}?include_balance=true`).body as Array<{ balanceDetails: Record<string, unknown> }>;
    expect(full[1]!.balanceDetails).toHaveProperty('queuedBalance');
    expect(full[0]!.balanceDetails).not.toHaveProperty('queuedBalance');
  });
  it.each([
    ['acct++@bc', 400, '082000'],
    ['a'.repeat(31), 400, '072000'],
    ['ERR_130192', 400, '130192'],
    ['ERR_130193', 400, '130193'],
    ['acct_unknown', 404, '110507'],
  ])('account %s → %i %s', (id, status, code) => {
    const { call } = sandboxState();
    const response = call('GET', `${accounts}/${encodeURIComponent(id)}`);
    expect(response.status).toBe(status);
    expect(detailCode(response)).toBe(code);
  });
});
