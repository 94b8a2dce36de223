import type { LosslessJson } from '@mcapi/jwe';

/** A JSON object as the lossless parser returns it. */
export type JsonObject = { [key: string]: LosslessJson };

/** What every Cross-Border push notification carries, whichever flavour it came in. */
interface WebhookEventBase {
  /** Mastercard's unique reference of this notification: the de-duplication key. */
  eventRef: string;
  /** `STATUS_CHG`, `QUOTE_STATUS_CHG`, `CREATED`, … as sent. */
  eventType: string | undefined;
  partnerId: string | undefined;
  /** `camelCase` (the v3 flavour) or `snake_case` (the flat "return reason v2" flavour). */
  flavour: 'camelCase' | 'snake_case';
  /** Whether the body arrived JWE-encrypted. */
  encrypted: boolean;
  /** The whole (decrypted) notification, numbers kept exact; unknown members included. */
  body: JsonObject;
}

/** Status Change Push for a payment (api-facts §2.6.12). */
export interface PaymentStatusEvent extends WebhookEventBase {
  type: 'payment.status';
  transactionReference: string | undefined;
  /** `SUCCESS`, `PENDING`, `REJECTED`, `RETURNED`, … */
  status: string | undefined;
}

/** Status Change Push for a confirmed or cancelled quote. */
export interface QuoteStatusEvent extends WebhookEventBase {
  type: 'quote.status';
  transactionReference: string | undefined;
  proposalId: string | undefined;
  /** The confirmation (or cancellation) status, e.g. `CONFIRMED`. */
  status: string | undefined;
}

/** Carded Rate (FX) Push: the rates are in `body.rates`. */
export interface RatesEvent extends WebhookEventBase {
  type: 'rates';
}

/** RFI Push: a request for information was created or changed. */
export interface RfiEvent extends WebhookEventBase {
  type: 'rfi';
  requestId: string | undefined;
  /** `OPEN`, `REVIEW`, `INPROGRESS`, `CLOSED`, `CANCELLED`. */
  requestStatus: string | undefined;
}

/** Account Validation Push: an `IN_PROGRESS` validation has finished. */
export interface AccountValidationEvent extends WebhookEventBase {
  type: 'account-validation';
  refId: string | undefined;
  /** `SUCCESS` or `FAILURE`. */
  status: string | undefined;
}

/**
 * One push notification from Mastercard, normalised from either JSON flavour into a
 * discriminated union on `type`.
 *
 * @example
 * ```ts
 * onEvent: async (event) => {
 *   if (event.type === 'payment.status') await payments.markStatus(event.transactionReference, event.status);
 * }
 * ```
 */
export type WebhookEvent = PaymentStatusEvent | QuoteStatusEvent | RatesEvent | RfiEvent | AccountValidationEvent;

/** Why a body is not a notification we can deliver (turned into a 400 by the handler). */
export class UnrecognisedNotification extends Error {}

/**
 * Classifies and normalises a decrypted notification. Mastercard documents the camelCase v3
 * flavour and a flat snake_case one; both spellings are read everywhere.
 */
export function toWebhookEvent(body: JsonObject, encrypted: boolean): WebhookEvent {
  const flavour = 'event_ref' in body || 'partner_id' in body || 'transaction_type' in body ? 'snake_case' : 'camelCase';
  const eventRef = text(pick(body, 'eventRef', 'event_ref'));
  if (eventRef === undefined || eventRef === '') throw new UnrecognisedNotification('the notification has no eventRef');
  const base = { eventRef, eventType: text(pick(body, 'eventType', 'event_type')), partnerId: text(pick(body, 'partnerId', 'partner_id')), flavour, encrypted, body } as const;
  const transactionReference = text(pick(body, 'transactionReference', 'transaction_reference'));
  switch (classify(body, base.eventType)) {
    case 'payment.status': {
      const payment = object(pick(body, 'payment'));
      const status =
        text(pick(object(pick(payment, 'transactionStatus', 'transaction_status')), 'status')) ??
        text(pick(body, 'current_transaction_status', 'currentTransactionStatus', 'status'));
      return { ...base, type: 'payment.status', transactionReference, status };
    }
    case 'quote.status': {
      const quote = object(pick(body, 'quote'));
      const state = object(pick(quote, 'confirmStatus', 'confirm_status')) ?? object(pick(quote, 'cancelStatus', 'cancel_status'));
      return { ...base, type: 'quote.status', transactionReference, proposalId: text(pick(quote, 'proposalId', 'proposal_id')), status: text(pick(state, 'status')) };
    }
    case 'rfi': {
      const notification = object(pick(body, 'notification'));
      const requestStatus = pick(body, 'requestStatus', 'request_status');
      return {
        ...base,
        type: 'rfi',
        requestId: text(pick(notification, 'requestId', 'request_id')),
        requestStatus: text(requestStatus) ?? text(pick(object(requestStatus), 'status')) ?? text(pick(notification, 'requestStatus', 'request_status')),
      };
    }
    case 'account-validation':
      return { ...base, type: 'account-validation', refId: text(pick(body, 'refId', 'ref_id')), status: text(pick(body, 'status')) };
    case 'rates':
      return { ...base, type: 'rates' };
  }
}

function classify(body: JsonObject, eventType: string | undefined): WebhookEvent['type'] {
  const transactionType = text(pick(body, 'transactionType', 'transaction_type'))?.toUpperCase().replace(/[\s-]/g, '_');
  switch (transactionType) {
    case 'PAYMENT':
      return 'payment.status';
    case 'QUOTE':
      return 'quote.status';
    case 'RFI':
      return 'rfi';
    case 'ACCOUNT_VALIDATION':
    case 'BAV':
      return 'account-validation';
  }
  if (eventType === 'QUOTE_STATUS_CHG') return 'quote.status';
  if ('rates' in body) return 'rates';
  if ('payment' in body || 'current_transaction_status' in body) return 'payment.status';
  if ('quote' in body) return 'quote.status';
  // The Account Validation Push schema is not published (api-facts §3.9): recognised by the
  // members of the account validation response it finalises.
  if ('receivingEligibility' in body || 'accountMatch' in body) return 'account-validation';
  throw new UnrecognisedNotification('the notification is of no known Cross-Border kind');
}

function pick(source: JsonObject | undefined, ...names: string[]): LosslessJson | undefined {
  if (source === undefined) return undefined;
  for (const name of names) if (Object.hasOwn(source, name)) return source[name];
  return undefined;
}

function object(value: LosslessJson | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value !== 'bigint' ? (value as JsonObject) : undefined;
}

// Identifiers occasionally arrive as numbers (XML-to-JSON conversions): keep their digits.
function text(value: LosslessJson | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}
