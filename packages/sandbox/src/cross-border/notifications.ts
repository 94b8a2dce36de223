import { randomUUID } from 'node:crypto';
import type { ServiceRequest } from '../service-types.js';
import type { PaymentRecord, QuoteRecord } from './cross-border-state.js';
import { quoteStatusBody } from './quote-status.js';
import { camelCaseKeys } from './wire-format.js';

// The Status Change Push bodies (api-facts §2.6.12, camelCase "v3" flavour) and the Account
// Validation Push (§2.5 P4, schema unpublished: the validation response with the Push envelope).
// Operations call these after a state change; the gateway hands them to the webhook sender.

const envelope = (partnerId: string, eventType: string, transactionType: string, transactionReference?: string) => ({
  partnerId,
  eventRef: randomUUID(),
  eventType,
  ...(transactionReference === undefined ? {} : { transactionReference }),
  transactionType,
});

/** One step of a payment's history, oldest first, as a push lists it. */
export interface PaymentHistoryStep {
  status: unknown;
  stage?: unknown;
  timestamp: unknown;
}

/**
 * A payment's status changed (created, completed, rejected, returned, cancelled). `wire` is the
 * payment as it now stands (default the record's); `earlier` are the statuses it went through
 * before, so a RETURNED push lists the SUCCESS it followed.
 */
export function notifyPayment(request: ServiceRequest, record: PaymentRecord, wire: Record<string, unknown> = record.wire, earlier: PaymentHistoryStep[] = []): void {
  if (!request.notify) return;
  const { status, rejected_status: rejected, ...rest } = wire as Record<string, unknown> & { rejected_status?: { Code?: string; Message?: string } };
  const payment = camelCaseKeys(rest) as Record<string, unknown>;
  payment.transactionStatus = {
    status,
    ...(rejected?.Code === undefined ? {} : { errorCode: rejected.Code }),
    ...(rejected?.Message === undefined ? {} : { errorMessage: rejected.Message }),
  };
  const steps: PaymentHistoryStep[] = [...earlier, { status, stage: wire.pending_stage ?? '', timestamp: wire.status_timestamp }];
  const head = envelope(record.partnerId, 'STATUS_CHG', 'PAYMENT', record.transactionReference);
  request.notify({
    project: record.project,
    body: {
      ...head,
      payment,
      transactionHistories: steps.map((step) => ({ notificationId: randomUUID(), status: step.status, stage: step.stage ?? '', timestamp: step.timestamp })),
    },
    // The same event in the flat "return reason version 2" spelling (§2.6.12), same eventRef.
    flat: {
      partner_id: head.partnerId,
      event_ref: head.eventRef,
      event_type: head.eventType,
      transaction_reference: record.transactionReference,
      transaction_type: 'PAYMENT',
      payment_id: record.id,
      payment_type: wire.payment_type,
      current_transaction_status: status,
      ...(rejected?.Message === undefined ? {} : { return_message: rejected.Message }),
      transaction_history: steps.map((step) => ({ status: step.status, timestamp: step.timestamp })),
    },
  });
}

/** A quote's confirmation or cancellation status changed. */
export function notifyQuote(request: ServiceRequest, quote: QuoteRecord, proposalId: string): void {
  request.notify?.({
    project: quote.project,
    body: { ...envelope(quote.partnerId, 'QUOTE_STATUS_CHG', 'QUOTE', quote.transactionReference), quote: quoteStatusBody(quote, proposalId) },
  });
}

/** An IN_PROGRESS account validation finished. */
export function notifyAccountValidation(request: ServiceRequest, project: string, partnerId: string, result: Record<string, unknown>): void {
  request.notify?.({ project, body: { ...envelope(partnerId, 'STATUS_CHG', 'ACCOUNT_VALIDATION'), ...result } });
}
