import { numberText } from '@mcapi/jwe';
import { type CrossBorderErrorResponse, crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest } from '../service-types.js';
import { referenceKey } from './cross-border-state.js';
import type { Amount } from './wire-format.js';

// Input checks with the Cross-Border error codes (api-facts §2.10): missing → 092000
// MISSING_REQUIRED_INPUT, bad value → 082000, bad characters → 062000, too long → 072000; the
// Source names the offending field, as Mastercard does.

/** A checked value or the error to answer. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: CrossBorderErrorResponse };

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
 * The root object of a snake_case request (`quoterequest`, `paymentrequest`) with its checked
 * `transaction_reference` and the per-project key state is filed under.
 */
export function requireReferencedRoot(
  request: ServiceRequest,
  root: string,
): Checked<{ body: Record<string, unknown>; reference: string; key: string }> {
  const object = requireObject((request.body as Record<string, unknown> | undefined)?.[root], root);
  if (!object.ok) return object;
  const reference = checkReference(object.value.transaction_reference, 'transaction_reference');
  if (!reference.ok) return reference;
  return { ok: true, value: { body: object.value, reference: reference.value, key: referenceKey(request.project, reference.value) } };
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

/** An `Amount` (amount as decimal string or number, 3-letter currency). */
export function checkAmount(value: unknown, source: string): Checked<Amount & { value: number }> {
  const object = requireObject(value, source);
  if (!object.ok) return object;
  const raw = object.value.amount;
  if (raw === undefined || raw === '') return missing(`${source}.amount`);
  // The literal as sent (`105.10` stays "105.10"), whatever type the lossless parser gave it.
  const text = numberText(raw) ?? raw;
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) return invalid(`${source}.amount`);
  const currency = requireString(object.value.currency, `${source}.currency`);
  if (!currency.ok) return currency;
  if (!/^[A-Z]{3}$/.test(currency.value)) return invalid(`${source}.currency`);
  return { ok: true, value: { amount: text, currency: currency.value, value: Number(text) } };
}

/** An ISO-3166 alpha-3 country. */
export function checkCountry(value: unknown, source: string): Checked<string> {
  const country = requireString(value, source);
  if (!country.ok) return country;
  if (!/^[A-Z]{3}$/.test(country.value)) return invalid(source);
  return country;
}

/** payment_type: P2P, P2B, B2P, B2B or G2P (api-facts §2.8). */
export function checkPaymentType(value: unknown, source: string): Checked<string> {
  const type = requireString(value, source);
  if (!type.ok) return type;
  if (!['P2P', 'P2B', 'B2P', 'B2B', 'G2P'].includes(type.value)) return invalid(source);
  return type;
}

/** A quote type / fx_type: exactly one of `forward` or `reverse` (api-facts §2.6.1). */
export function checkQuoteType(
  value: unknown,
  source: string,
): Checked<{ kind: 'forward'; feesIncluded: boolean; receiverCurrency?: string } | { kind: 'reverse'; senderCurrency?: string }> {
  const object = requireObject(value, source);
  if (!object.ok) return object;
  const { forward, reverse } = object.value;
  if ((forward === undefined) === (reverse === undefined)) return invalid(source, 'Exactly one of forward or reverse is required');
  if (forward !== undefined) {
    const body = requireObject(forward, `${source}.forward`);
    if (!body.ok) return body;
    const fees = body.value.fees_included;
    // "Default true if not given" (api-facts §2.6.1); sent as a boolean or a string.
    if (fees !== undefined && fees !== true && fees !== false && fees !== 'true' && fees !== 'false') return invalid(`${source}.forward.fees_included`);
    const receiver = body.value.receiver_currency;
    if (receiver !== undefined && (typeof receiver !== 'string' || !/^[A-Z]{3}$/.test(receiver))) return invalid(`${source}.forward.receiver_currency`);
    return {
      ok: true,
      value: { kind: 'forward', feesIncluded: fees === undefined || fees === true || fees === 'true', ...(receiver !== undefined && { receiverCurrency: receiver }) },
    };
  }
  const body = requireObject(reverse, `${source}.reverse`);
  if (!body.ok) return body;
  const sender = body.value.sender_currency;
  if (sender !== undefined && (typeof sender !== 'string' || !/^[A-Z]{3}$/.test(sender))) return invalid(`${source}.reverse.sender_currency`);
  return { ok: true, value: { kind: 'reverse', ...(sender !== undefined && { senderCurrency: sender }) } };
}
