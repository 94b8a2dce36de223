import { changedResubmission, crossBorderError, duplicateReference } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { compareAttempt } from './attempts.js';
import type { CrossBorderState, ProposalRecord } from './cross-border-state.js';
import { checkFields } from '../http/schema.js';
import { price } from './pricing.js';
import { checkAmount, checkCountry, checkPaymentType, checkQuoteType, requireReferencedRoot } from './validation.js';
import { type Amount, additionalData, newId, timestamp } from './wire-format.js';

// POST /send/v1/partners/{partner-id}/crossborder/quotes (api-facts §2.6.2), driven by the
// sandbox transaction-reference patterns of §2.11.

const PROPOSAL_VALIDITY_MS = 30 * 60_000;

/** A `1…<6 digits>` reference: the quote is rejected with that ErrorDetailCode. */
const rejectedPattern = /^1.*?(\d{6})$/;

/** Builds a proposal (snake_case wire form). */
export function makeProposal(
  kind: 'forward' | 'reverse',
  amount: Amount & { value: number },
  otherCurrency: string,
  feesIncluded: boolean,
  now: number,
): ProposalRecord {
  const id = newId('pen_');
  const pricing = price(kind, amount, otherCurrency, feesIncluded);
  return {
    id,
    wire: {
      id,
      resource_type: 'proposal',
      // Strings, as Mastercard's reference app models them (api-facts §2.14).
      fees_included: String(pricing.feesIncluded),
      charged_amount: pricing.charged,
      credited_amount: pricing.credited,
      principal_amount: pricing.principal,
      fees_amount: pricing.fees,
      expiration_date: timestamp(now + PROPOSAL_VALIDITY_MS),
      quote_fx_rate: pricing.rate.toFixed(10),
      confirmation_expiry_time: timestamp(now + PROPOSAL_VALIDITY_MS),
      additional_data_list: { resource_type: 'list', item_count: '1', data: { data_field: [{ name: '840', value: id }] } },
    },
  };
}

/** Creates a quote. */
export function createQuote(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const root = requireReferencedRoot(request, 'quoterequest');
  if (!root.ok) return root.error;
  const { body, reference: ref, key } = root.value;

  // `22S…501`: 150001 first, an identical resubmit succeeds, a changed one gets 082000.
  if (/^22S.*501$/.test(ref)) {
    const attempt = compareAttempt(state, 'quote', request.project, ref, body, request.now);
    if (attempt.outcome === 'first') return crossBorderError('150001', 'Service');
    if (attempt.outcome === 'changed') return changedResubmission('transaction_reference');
  }
  if (state.quotes[key]) {
    // "Use a unique transaction_reference on each sandbox run (duplicates are declined)" §2.4.
    return duplicateReference();
  }
  // ref-app `07…TO`: the call times out at the gateway.
  if (/^07.*TO$/.test(ref)) return crossBorderError('150001', 'Gateway', { status: 504, description: 'Timeout' });
  const rejected = rejectedPattern.exec(ref);
  if (rejected) return crossBorderError(rejected[1]!, 'transaction_reference');

  // Checked in the order Mastercard reports them: the first failing field is the answer.
  const checked = checkFields(body, {
    payment_amount: checkAmount,
    payment_origination_country: checkCountry,
    payment_type: checkPaymentType,
    quote_type: checkQuoteType,
  });
  if (!checked.ok) return checked.error;
  const { payment_amount: amount, payment_type: paymentType, quote_type: type } = checked.value;

  // URIs are required unless both are omitted and VSF 701 (destination country) and 7260
  // (payment instrument) are given (§2.6.2); `2…092000` exercises the missing 7260.
  const sender = body.sender_account_uri;
  const recipient = body.recipient_account_uri;
  const vsf = additionalData(body.additional_data);
  if (sender === undefined && recipient === undefined) {
    if (!vsf.has('701')) return crossBorderError('092000', 'Additional Data-701-Destination country');
    if (!vsf.has('7260')) return crossBorderError('092000', 'Additional Data-7260-Beneficiary payment instrument');
  } else {
    if (typeof sender !== 'string' || sender === '') return crossBorderError('092000', 'sender_account_uri');
    if (typeof recipient !== 'string' || recipient === '') return crossBorderError('092000', 'recipient_account_uri');
  }

  // `08…ACFQ`/`AOCFQ` are forward quotes, `08…ACRQ`/`AOCRQ` reverse ones (§2.11).
  const expected = /^08.*(ACFQ|AOCFQ)$/.test(ref) ? 'forward' : /^08.*(ACRQ|AOCRQ)$/.test(ref) ? 'reverse' : undefined;
  if (expected !== undefined && type.kind !== expected) {
    return crossBorderError('082000', 'quote_type', { description: `This sandbox reference expects a ${expected} quote` });
  }
  if (/^08.*(AOCFQ|AOCRQ)$/.test(ref) && (sender !== undefined || recipient !== undefined)) {
    return crossBorderError('082000', 'recipient_account_uri', { description: 'This sandbox reference expects a quote without account URIs' });
  }

  const otherCurrency = type.kind === 'forward' ? (type.receiverCurrency ?? 'USD') : (type.senderCurrency ?? 'USD');
  const proposal = makeProposal(type.kind, amount, otherCurrency, type.kind === 'forward' ? type.feesIncluded : false, request.now);
  state.quotes[key] = {
    project: request.project,
    partnerId: request.params.partnerId ?? '',
    transactionReference: ref,
    paymentType,
    created: timestamp(request.now),
    proposals: [proposal],
    request: body,
  };
  return {
    status: 200,
    body: { quote: { transaction_reference: ref, payment_type: paymentType, proposals: { proposal: [proposal.wire] } } },
  };
}
