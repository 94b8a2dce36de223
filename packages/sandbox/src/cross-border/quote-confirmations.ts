import { changedResubmission, crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { compareAttempt, minutes } from './attempts.js';
import { type CrossBorderState, type QuoteRecord, type QuoteStatusRecord, referenceKey } from './cross-border-state.js';
import { checkFields } from '../http/schema.js';
import { makeProposal } from './quotes.js';
import { checkAmount, checkReference, requireString } from './validation.js';
import { notifyQuote } from './notifications.js';
import { quoteStatusBody } from './quote-status.js';
import { camelCaseKeys, timestamp } from './wire-format.js';

// Quote Confirmation, Cancel Confirmed Quote, Retrieve Confirmed Quote (api-facts §2.6.3),
// driven by the transactionReference of the quote (§2.11). The suite is camelCase.

const SUBMISSION_WINDOW_MS = 30 * 60_000;
const MAX_LATE_ATTEMPTS = 3;

function findQuote(state: CrossBorderState, request: ServiceRequest, source: string) {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const checked = checkFields(body, { transactionReference: checkReference, proposalId: requireString });
  if (!checked.ok) return checked;
  const { transactionReference, proposalId } = checked.value;
  const quote = state.quotes[referenceKey(request.project, transactionReference)];
  if (!quote?.proposals.some((proposal) => proposal.id === proposalId)) {
    return { ok: false as const, error: crossBorderError('110507', source) };
  }
  return { ok: true as const, quote, proposalId, body };
}

function status(record: QuoteStatusRecord): Record<string, unknown> {
  return { status: record.status, ...(record.pendingStage !== undefined && { stage: record.pendingStage }) };
}

function rejectWith(quote: QuoteRecord, field: 'confirmStatus' | 'cancelStatus', code: string, source: string, now: number) {
  const error = crossBorderError(code, source);
  quote[field] = {
    status: 'REJECTED',
    statusTimestamp: timestamp(now),
    errorCode: code,
    errorMessage: error.body.Errors.Error[0]!.Description,
  };
  return error;
}

/** POST /send/partners/{partner-id}/crossborder/quotes/confirmations */
export const confirmQuote = withStatusPush(confirm);
/** POST /send/partners/{partner-id}/crossborder/quotes/cancellations */
export const cancelConfirmedQuote = withStatusPush(cancel);

/**
 * Runs a confirmation-suite operation and, when it changed the quote's confirm or cancel status
 * (rejections included), raises a Status Change Push for the quote (api-facts §2.6.12).
 */
function withStatusPush(operation: (state: CrossBorderState, request: ServiceRequest) => ServiceResponse) {
  return (state: CrossBorderState, request: ServiceRequest): ServiceResponse => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const quote = typeof body.transactionReference === 'string' ? state.quotes[referenceKey(request.project, body.transactionReference)] : undefined;
    const before = quote && JSON.stringify([quote.confirmStatus, quote.cancelStatus]);
    const result = operation(state, request);
    if (quote && JSON.stringify([quote.confirmStatus, quote.cancelStatus]) !== before) notifyQuote(request, quote, quote.proposalId ?? String(body.proposalId));
    return result;
  };
}

function confirm(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const found = findQuote(state, request, 'ConfirmQuote');
  if (!found.ok) return found.error;
  const { quote, proposalId } = found;
  const ref = quote.transactionReference;
  const now = request.now;

  const rejected = /^44.*(130194|130195|130196|082000)$/.exec(ref);
  if (rejected) return rejectWith(quote, 'confirmStatus', rejected[1]!, 'ConfirmQuote', now);
  // `41CR…501`: 150001 first; an identical resubmit after 5 minutes succeeds.
  if (/^41CR.*501$/.test(ref) && quote.confirmStatus?.status !== 'CONFIRMED') {
    const attempt = compareAttempt(state, 'confirm', request.project, ref, found.body, now);
    if (attempt.outcome === 'changed') return changedResubmission('ConfirmQuote');
    if (attempt.outcome === 'first' || attempt.elapsedMs < minutes(5)) return crossBorderError('150001', 'ConfirmQuote');
    return confirmed(quote, proposalId, now);
  }
  // A second confirmation of a confirmed quote is declined 130194 (§2.10).
  if (quote.confirmStatus?.status === 'CONFIRMED') return crossBorderError('130194', 'ConfirmQuote');
  if (quote.cancelStatus?.status === 'CANCELLED') return crossBorderError('130195', 'ConfirmQuote');

  if (/^41/.test(ref)) {
    quote.proposalId = proposalId;
    quote.confirmStatus = { status: 'PENDING', pendingStage: 'Ambiguous', statusTimestamp: timestamp(now) };
    return { status: 200, body: { transactionReference: ref, ...status(quote.confirmStatus), proposalId } };
  }
  if (/^42/.test(ref)) {
    // Late confirmation: every proposal but the newest has expired; a new quote is offered, at
    // most three times (§2.6.3).
    const newest = quote.proposals[quote.proposals.length - 1]!;
    if (proposalId !== newest.id || quote.proposals.length === 1) {
      const attempts = (quote.lateAttempts ?? 0) + 1;
      if (attempts > MAX_LATE_ATTEMPTS) return rejectWith(quote, 'confirmStatus', '130195', 'ConfirmQuote', now);
      quote.lateAttempts = attempts;
      const original = quote.proposals[0]!.wire;
      const amount = checkAmount(quote.request.payment_amount, 'payment_amount');
      if (!amount.ok) return amount.error;
      const credited = (original.credited_amount as { currency: string }).currency;
      const charged = (original.charged_amount as { currency: string }).currency;
      const reverse = typeof (quote.request.quote_type as { reverse?: unknown } | undefined)?.reverse === 'object';
      const proposal = reverse
        ? makeProposal('reverse', amount.value, charged, false, now)
        : makeProposal('forward', amount.value, credited, original.fees_included === 'true', now);
      quote.proposals.push(proposal);
      quote.proposalId = proposalId;
      quote.confirmStatus = { status: 'PENDING', pendingStage: 'Expired', statusTimestamp: timestamp(now) };
      return {
        status: 200,
        body: { transactionReference: ref, ...status(quote.confirmStatus), proposalId, proposedQuote: { proposals: [camelCaseKeys(proposal.wire)] } },
      };
    }
  }
  return confirmed(quote, proposalId, now);
}

function confirmed(quote: QuoteRecord, proposalId: string, now: number): ServiceResponse {
  quote.proposalId = proposalId;
  quote.confirmStatus = { status: 'CONFIRMED', statusTimestamp: timestamp(now) };
  quote.paymentSubmissionExpiryTime = timestamp(now + SUBMISSION_WINDOW_MS);
  return {
    status: 200,
    body: {
      transactionReference: quote.transactionReference,
      status: 'CONFIRMED',
      proposalId,
      paymentSubmissionExpiryTime: quote.paymentSubmissionExpiryTime,
    },
  };
}

function cancel(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const found = findQuote(state, request, 'CancelQuote');
  if (!found.ok) return found.error;
  const { quote, proposalId } = found;
  const ref = quote.transactionReference;
  const now = request.now;

  const rejected = /^401.*(130197|130111|082000)$/.exec(ref);
  if (rejected) return rejectWith(quote, 'cancelStatus', rejected[1]!, 'CancelQuote', now);
  if (quote.cancelStatus?.status === 'CANCELLED') return crossBorderError('130197', 'CancelQuote');
  // Only a confirmed quote with no payment yet can be cancelled (§2.6.3).
  if (quote.confirmStatus?.status !== 'CONFIRMED' || quote.paymentId !== undefined) return crossBorderError('130111', 'CancelQuote');
  // `402CR…501`: 150001 first; an identical resubmit 1–30 minutes later succeeds.
  if (/^402CR.*501$/.test(ref)) {
    const attempt = compareAttempt(state, 'cancel', request.project, ref, found.body, now);
    if (attempt.outcome === 'changed') return changedResubmission('CancelQuote');
    if (attempt.outcome === 'first' || attempt.elapsedMs < minutes(1) || attempt.elapsedMs > minutes(30)) {
      return crossBorderError('150001', 'CancelQuote');
    }
  } else if (/^402.*(504|505)$/.test(ref)) {
    quote.cancelStatus = { status: 'PENDING', pendingStage: 'Ambiguous', statusTimestamp: timestamp(now) };
    return { status: 200, body: { transactionReference: ref, ...status(quote.cancelStatus), proposalId } };
  }
  quote.cancelStatus = { status: 'CANCELLED', statusTimestamp: timestamp(now) };
  const proposal = quote.proposals.find((candidate) => candidate.id === quote.proposalId) ?? quote.proposals[0]!;
  return {
    status: 200,
    body: { transactionReference: ref, status: 'CANCELLED', proposalId, releasedReservedAmount: proposal.wire.charged_amount },
  };
}

/** GET /send/partners/{partner-id}/crossborder/quotes/{transaction-reference}/proposals/{proposal-id} */
export function retrieveConfirmedQuote(state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const quote = state.quotes[referenceKey(request.project, request.params.transactionReference ?? '')];
  const proposalId = request.params.proposalId ?? '';
  if (!quote?.proposals.some((proposal) => proposal.id === proposalId)) {
    return crossBorderError('110507', 'transaction-reference', { method: 'GET' });
  }
  // The status lives inside `quote`, as in Mastercard's reference app and the Status Change Push
  // (api-facts §2.14); before confirmation it is blank (§2.11 "starts 4, retrieve before confirming").
  return {
    status: 200,
    body: {
      transactionReference: quote.transactionReference,
      resourceType: 'quote',
      created: quote.created,
      partnerName: quote.partnerId,
      quote: quoteStatusBody(quote, proposalId),
    },
  };
}
