import { changedResubmission, crossBorderError, duplicateReference } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { compareAttempt, minutes } from './attempts.js';
import { type CrossBorderState, type PaymentRecord, referenceKey } from './cross-border-state.js';
import { price } from './pricing.js';
import { checkFields } from '../http/schema.js';
import { checkAmount, checkCountry, checkPaymentType, checkQuoteType, requireReferencedRoot, requireString } from './validation.js';
import { notifyPayment } from './notifications.js';
import { newId, timestamp } from './wire-format.js';

// Payment, Retrieve Payment (by id and by reference) and Cancel Payment (api-facts §2.6.5,
// §2.6.6), with the sandbox patterns of §2.11.

/** Optional request members echoed into the `payment` response. */
const echoed = [
  'receiving_bank_name',
  'receiving_bank_branch_name',
  'bank_code',
  'source_of_income',
  'purpose_of_payment',
  'payment_file_identifier',
  'card_rate_id',
] as const;

/**
 * `06…`/`04…` patterns need the last 6 digits of the recipient account to be `10####` (§2.11):
 * the account part of the URI, after the scheme and before parameters such as `;bic=`.
 */
function recipientMatches(uri: string): boolean {
  const account = uri.slice(uri.indexOf(':') + 1).split(';')[0] ?? '';
  return /10\d{4}$/.test(account.replace(/\D/g, ''));
}

/** POST …/crossborder/payment */
export function createPayment(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const root = requireReferencedRoot(request, 'paymentrequest');
  if (!root.ok) return root.error;
  const { body, reference: ref, key } = root.value;

  // `11S…501`: PENDING/Ambiguous first; an identical resubmit 10–30 min later → SUCCESS;
  // changed parameters → 082000 (§2.11).
  if (/^11S.*501$/.test(ref) && state.paymentsByReference[key]) {
    const attempt = compareAttempt(state, 'payment', request.project, ref, body, request.now);
    const existing = state.payments[state.paymentsByReference[key]!]!;
    if (attempt.outcome === 'changed') return changedResubmission('transaction_reference');
    if (attempt.elapsedMs >= minutes(10) && attempt.elapsedMs <= minutes(30) && existing.wire.status !== 'SUCCESS') {
      existing.wire = { ...existing.wire, status: 'SUCCESS', status_timestamp: timestamp(request.now) };
      delete existing.wire.pending_stage;
      notifyPayment(request, existing);
    } else if (attempt.elapsedMs > minutes(30)) {
      return duplicateReference();
    }
    return { status: 200, body: { payment: existing.wire } };
  }
  if (state.paymentsByReference[key]) return duplicateReference();

  const code = /^2.*?(\d{6})$/.exec(ref);
  if (code) return crossBorderError(code[1]!, 'transaction_reference');

  let wire: Record<string, unknown>;
  const proposalId = body.proposal_id;
  if (proposalId !== undefined) {
    // Payment with a quote: the quote's data fills the payment (§2.6.5).
    const quote = state.quotes[key];
    const proposal = quote?.proposals.find((candidate) => candidate.id === proposalId);
    if (!quote || !proposal || quote.paymentId !== undefined || quote.cancelStatus?.status === 'CANCELLED') {
      return crossBorderError('130105', 'proposal_id', { description: 'Invalid proposal id' });
    }
    const sender = body.sender_account_uri ?? quote.request.sender_account_uri;
    const recipient = body.recipient_account_uri ?? quote.request.recipient_account_uri;
    if (typeof sender !== 'string') return crossBorderError('092000', 'sender_account_uri');
    if (typeof recipient !== 'string') return crossBorderError('092000', 'recipient_account_uri');
    const p = proposal.wire;
    wire = {
      proposal_id: proposal.id,
      sender_account_uri: sender,
      recipient_account_uri: recipient,
      payment_amount: quote.request.payment_amount,
      payment_origination_country: quote.request.payment_origination_country,
      fx_type: quote.request.quote_type,
      payment_type: quote.paymentType,
      fees_amount: p.fees_amount,
      charged_amount: p.charged_amount,
      credited_amount: p.credited_amount,
      principal_amount: p.principal_amount,
      fx_rate: p.quote_fx_rate,
    };
  } else {
    // Checked in the order Mastercard reports them: the first failing field is the answer.
    const checked = checkFields(body, {
      sender_account_uri: requireString,
      recipient_account_uri: requireString,
      payment_amount: checkAmount,
      payment_origination_country: checkCountry,
      fx_type: checkQuoteType,
      payment_type: checkPaymentType,
    });
    if (!checked.ok) return checked.error;
    const { payment_amount: amount, fx_type: type } = checked.value;
    const other = type.kind === 'forward' ? (type.receiverCurrency ?? amount.currency) : (type.senderCurrency ?? amount.currency);
    const pricing = price(type.kind, amount, other, type.kind === 'forward' ? type.feesIncluded : false);
    wire = {
      sender_account_uri: checked.value.sender_account_uri,
      recipient_account_uri: checked.value.recipient_account_uri,
      payment_amount: { amount: amount.amount, currency: amount.currency },
      payment_origination_country: checked.value.payment_origination_country,
      fx_type: body.fx_type,
      payment_type: checked.value.payment_type,
      fees_amount: pricing.fees,
      charged_amount: pricing.charged,
      credited_amount: pricing.credited,
      principal_amount: pricing.principal,
      fx_rate: pricing.rate.toFixed(10),
    };
  }
  for (const name of echoed) if (body[name] !== undefined) wire[name] = body[name];

  const id = newId('rem_');
  const now = timestamp(request.now);
  const recipientUri = String(wire.recipient_account_uri);
  let payment: Record<string, unknown> = { transaction_reference: ref, status: 'SUCCESS', id, resource_type: 'payment', created: now, status_timestamp: now, ...wire };
  let returnCode: string | undefined;
  if (/^06/.test(ref) && recipientMatches(recipientUri)) {
    payment.status = 'PENDING';
    payment.pending_stage = 'Processing';
    payment.pending_max_completion_date = new Date(request.now + 3 * 86_400_000).toISOString();
  } else if (/^04/.test(ref) && recipientMatches(recipientUri)) {
    // Rejected payments come back minimal (§2.6.5).
    payment = {
      transaction_reference: ref,
      status: 'REJECTED',
      id,
      resource_type: 'payment',
      payment_type: wire.payment_type,
      created: now,
      status_timestamp: now,
      rejected_status: { Code: '130120', Message: 'DECLINE:Maximum cumulative transactions exceeded by sending consumer' },
    };
  } else if (/^11S.*501$/.test(ref)) {
    compareAttempt(state, 'payment', request.project, ref, body, request.now);
    payment.status = 'PENDING';
    payment.pending_stage = 'Ambiguous';
  } else {
    const returned = /^8.*RR(\d{6})$/.exec(ref);
    if (returned) returnCode = returned[1]!;
  }

  const record: PaymentRecord = { id, project: request.project, partnerId: request.params.partnerId ?? '', transactionReference: ref, wire: payment };
  if (returnCode !== undefined) record.returnCode = returnCode;
  state.payments[id] = record;
  state.paymentsByReference[key] = id;
  const quote = state.quotes[key];
  if (quote && proposalId !== undefined) quote.paymentId = id;
  // Mastercard pushes every status change of a payment, its first status included (§2.6.12).
  notifyPayment(request, record);
  // `8…RR<code>`: the payment is returned right away (Retrieve shows RETURNED from now on), so
  // its second status change is pushed now, after the first; the sender keeps that order.
  if (returnCode !== undefined) {
    notifyPayment(request, record, { ...payment, status: 'RETURNED', rejected_status: returnedStatus(returnCode) }, [
      { status: payment.status, stage: '', timestamp: payment.status_timestamp },
    ]);
  }

  // ref-app `08…TO`: the payment is made but the answer times out; Retrieve by reference finds it.
  if (/^08.*TO$/.test(ref)) return crossBorderError('150001', 'Gateway', { status: 504, description: 'Timeout' });
  return { status: 200, body: { payment } };
}

/** What Retrieve Payment shows: `8…RR<code>` payments read RETURNED with that code (§2.11). */
function retrieved(record: PaymentRecord): Record<string, unknown> {
  if (record.returnCode === undefined) return record.wire;
  const { transaction_reference, id, resource_type, payment_type, created } = record.wire;
  return {
    transaction_reference,
    status: 'RETURNED',
    id,
    resource_type,
    payment_type,
    created,
    status_timestamp: record.wire.status_timestamp,
    rejected_status: returnedStatus(record.returnCode),
  };
}

/** The `rejected_status` of a returned payment: the return-reason code (§2.11 `8…RR<code>`). */
function returnedStatus(code: string): { Code: string; Message: string } {
  return { Code: code, Message: `DECLINE:Returned with reason ${code}` };
}

/** GET …/crossborder/{payment-id} */
export function retrievePaymentById(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const record = state.payments[request.params.paymentId ?? ''];
  if (!record || record.project !== request.project) return crossBorderError('110507', 'GetPayment', { method: 'GET' });
  return { status: 200, body: { payment: retrieved(record) } };
}

/** GET …/crossborder?ref=<transaction_reference> */
export function retrievePaymentByReference(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const ref = request.query.get('ref');
  if (!ref) return crossBorderError('092000', 'ref', { method: 'GET' });
  const id = state.paymentsByReference[referenceKey(request.project, ref)];
  const record = id === undefined ? undefined : state.payments[id];
  if (!record) return crossBorderError('110507', 'GetPayment', { method: 'GET' });
  return { status: 200, body: { payment: retrieved(record) } };
}

/** POST …/crossborder/{payment-id}/cancel: only PENDING payments can be cancelled (§2.6.6). */
export function cancelPayment(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const record = state.payments[request.params.paymentId ?? ''];
  if (!record || record.project !== request.project) return crossBorderError('110507', 'payment-id');
  if (record.wire.status !== 'PENDING') return crossBorderError('130111', 'payment-id');
  // What Retrieve shows after a cancel is not documented (api-facts §3 item 10); the sandbox
  // reports the payment as CANCELLED.
  record.wire = { ...record.wire, status: 'CANCELLED', status_timestamp: timestamp(request.now) };
  delete record.wire.pending_stage;
  delete record.wire.pending_max_completion_date;
  notifyPayment(request, record);
  return { status: 200, body: { cancelpayment: { status: 'SUCCESS', TransactionReference: record.transactionReference } } };
}
