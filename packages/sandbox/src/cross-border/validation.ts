import { numberText } from '@mcapi/jwe';
import { type CrossBorderErrorResponse, crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest } from '../service-types.js';
import { referenceKey } from './cross-border-state.js';
import { type Check, type Checked as SchemaChecked, type FieldCheck, type Fields, checkFields, mapCheck, optional } from '../http/schema.js';
import type { Amount } from './wire-format.js';

// Input checks with the Cross-Border error codes (api-facts §2.10): missing → 092000
// MISSING_REQUIRED_INPUT, bad value → 082000, bad characters → 062000, too long → 072000; the
// Source names the offending field, as Mastercard does.

/** A checked value or the error to answer. */
export type Checked<T> = SchemaChecked<T, CrossBorderErrorResponse>;

const missing = (source: string) => ({ ok: false as const, error: crossBorderError('092000', source) });
const invalid = (source: string, description?: string) => ({
  ok: false as const,
  error: crossBorderError('082000', source, description === undefined ? {} : { description }),
});

/** An object member (e.g. the `quoterequest` root). */
export function requireObject(value: unknown, source: string): Checked<Record<string, unknown>> {
  if (value === undefined || value === null || value === '') return missing(source);
  if (typeof value !== 'object' || Array.isArray(value)) return invalid(source);
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * A check for an object member whose own members are checked by `shape`, in order. Errors name
 * them `<source>.<member>` as Mastercard does for nested fields; `prefix` changes that (a request
 * root's members are named bare).
 */
export function objectWith<S extends Record<string, FieldCheck<CrossBorderErrorResponse>>>(
  shape: S,
  prefix: (source: string) => string = (source) => `${source}.`,
): Check<Fields<S> & { readonly object: Record<string, unknown> }, CrossBorderErrorResponse> {
  return (value, source) => {
    const object = requireObject(value, source);
    if (!object.ok) return object;
    const fields = checkFields(object.value, shape, prefix(source));
    return fields.ok ? { ok: true, value: { ...fields.value, object: object.value } } : fields;
  };
}

/**
 * The root object of a snake_case request (`quoterequest`, `paymentrequest`) with its checked
 * `transaction_reference` and the per-project key state is filed under.
 */
export function requireReferencedRoot(
  request: ServiceRequest,
  root: string,
): Checked<{ body: Record<string, unknown>; reference: string; key: string }> {
  const checked = objectWith({ transaction_reference: checkReference }, () => '')((request.body as Record<string, unknown> | undefined)?.[root], root);
  if (!checked.ok) return checked;
  const { object: body, transaction_reference: reference } = checked.value;
  return { ok: true, value: { body, reference, key: referenceKey(request.project, reference) } };
}

/** A non-empty string member. */
export function requireString(value: unknown, source: string): Checked<string> {
  if (value === undefined || value === null || value === '') return missing(source);
  if (typeof value !== 'string') return invalid(source);
  return { ok: true, value };
}

/** `transaction_reference`: any ASCII except `{ } | ~ \ , ;` (api-facts §2.4). */
export function checkReference(value: unknown, source: string): Checked<string> {
  const reference = requireString(value, source);
  if (!reference.ok) return reference;
  if (!/^[\x20-\x7e]+$/.test(reference.value) || /[{}|~\\,;]/.test(reference.value)) {
    return { ok: false, error: crossBorderError('062000', source) };
  }
  return reference;
}

/** partner-id path parameter: at most 35 characters, none of `{ } | ~ \` (api-facts §2.1, §2.4). */
export function checkPartnerId(value: string): Checked<string> {
  if (value.length > 35) return { ok: false, error: crossBorderError('072000', 'partner-id') };
  if (!/^[\x21-\x7e]+$/.test(value) || /[{}|~\\]/.test(value)) return { ok: false, error: crossBorderError('062000', 'partner-id') };
  return { ok: true, value };
}

/** `check`, then `accept` on its value: a value it refuses is 082000 for the field. */
function refined<T>(check: Check<T, CrossBorderErrorResponse>, accept: (value: T) => boolean): Check<T, CrossBorderErrorResponse> {
  return (value, source) => {
    const checked = check(value, source);
    return !checked.ok || accept(checked.value) ? checked : invalid(source);
  };
}

const alpha3 = /^[A-Z]{3}$/;
const PAYMENT_TYPES = ['P2P', 'P2B', 'B2P', 'B2B', 'G2P'];

/** An amount literal: a positive decimal, as a string or a (lossless) number. */
const amountText: Check<string, CrossBorderErrorResponse> = (raw, source) => {
  if (raw === undefined || raw === '') return missing(source);
  // The literal as sent (`105.10` stays "105.10"), whatever type the lossless parser gave it.
  const text = numberText(raw) ?? raw;
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) return invalid(source);
  return { ok: true, value: text };
};

/** A currency a member may leave out, but not send empty or malformed. */
const currencyCode: Check<string, CrossBorderErrorResponse> = (value, source) =>
  typeof value === 'string' && alpha3.test(value) ? { ok: true, value } : invalid(source);

/** `fees_included`: "default true if not given" (api-facts §2.6.1); sent as a boolean or a string. */
const feesFlag: Check<boolean, CrossBorderErrorResponse> = (value, source) =>
  value === true || value === 'true' ? { ok: true, value: true } : value === false || value === 'false' ? { ok: true, value: false } : invalid(source);

const amountObject = objectWith({ amount: amountText, currency: refined(requireString, (currency) => alpha3.test(currency)) });
const forwardQuote = objectWith({ fees_included: optional(feesFlag), receiver_currency: optional(currencyCode) });
const reverseQuote = objectWith({ sender_currency: optional(currencyCode) });

/** An `Amount` (amount as decimal string or number, 3-letter currency). */
export const checkAmount: Check<Amount & { value: number }, CrossBorderErrorResponse> = mapCheck(amountObject, ({ amount, currency }) => ({
  amount,
  currency,
  value: Number(amount),
}));

/** An ISO-3166 alpha-3 country. */
export const checkCountry = refined(requireString, (country) => alpha3.test(country));

/** payment_type: P2P, P2B, B2P, B2B or G2P (api-facts §2.8). */
export const checkPaymentType = refined(requireString, (type) => PAYMENT_TYPES.includes(type));

/** A checked `quote_type` / `fx_type`. */
export type QuoteType = { kind: 'forward'; feesIncluded: boolean; receiverCurrency?: string } | { kind: 'reverse'; senderCurrency?: string };

/** A quote type / fx_type: exactly one of `forward` or `reverse` (api-facts §2.6.1). */
export function checkQuoteType(value: unknown, source: string): Checked<QuoteType> {
  const object = requireObject(value, source);
  if (!object.ok) return object;
  const { forward, reverse } = object.value;
  if ((forward === undefined) === (reverse === undefined)) return invalid(source, 'Exactly one of forward or reverse is required');
  if (forward !== undefined) {
    return mapCheck(forwardQuote, ({ fees_included: fees = true, receiver_currency: receiver }): QuoteType => ({
      kind: 'forward',
      feesIncluded: fees,
      ...(receiver !== undefined && { receiverCurrency: receiver }),
    }))(forward, `${source}.forward`);
  }
  return mapCheck(reverseQuote, ({ sender_currency: sender }): QuoteType => ({ kind: 'reverse', ...(sender !== undefined && { senderCurrency: sender }) }))(
    reverse,
    `${source}.reverse`,
  );
}
