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

/** A payment's status changed (created, completed, rejected, returned, cancelled). */
export function notifyPayment(request: ServiceRequest, record: PaymentRecord): void {
  if (!request.notify) return;
  const { status, rejected_status: rejected, ...rest } = record.wire as Record<string, unknown> & { rejected_status?: { Code?: string; Message?: string } };
  const payment = camelCaseKeys(rest) as Record<string, unknown>;
  payment.transactionStatus = {
    status,
    ...(rejected?.Code === undefined ? {} : { errorCode: rejected.Code }),
    ...(rejected?.Message === undefined ? {} : { errorMessage: rejected.Message }),
  };
  const head = envelope(record.partnerId, 'STATUS_CHG', 'PAYMENT', record.transactionReference);
  request.notify({
    project: record.project,
    body: {
      ...head,
      payment,
      transactionHistories: [{ notificationId: randomUUID(), status, stage: record.wire.pending_stage ?? '', timestamp: record.wire.status_timestamp }],
    },
    // The same event in the flat "return reason version 2" spelling (§2.6.12), same eventRef.
    flat: {
      partner_id: head.partnerId,
      event_ref: head.eventRef,
      event_type: head.eventType,
      transaction_reference: record.transactionReference,
      transaction_type: 'PAYMENT',
      payment_id: record.id,
      payment_type: record.wire.payment_type,
      current_transaction_status: status,
      ...(rejected?.Message === undefined ? {} : { return_message: rejected.Message }),
      transaction_history: [{ status, timestamp: record.wire.status_timestamp }],
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
