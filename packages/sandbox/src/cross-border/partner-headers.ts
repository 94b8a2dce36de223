import { type CrossBorderErrorResponse, crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest } from '../service-types.js';

// The headers the validation and catalogue APIs require (api-facts §2.2): `Partner-Ref-Id`
// (account/address validation, bank lookup, IBAN generation, endpoint guide), `X-Mc-Correlation-Id`
// (address validation, bank lookup, endpoint guide), `partner-id` (cash pickup). Missing → 092000
// with the header as Source, as Mastercard reports it.

/** The value of each named header, or the 092000 answer for the first one missing. */
export function requireHeaders(
  request: ServiceRequest,
  names: readonly string[],
): { ok: true; values: Record<string, string> } | { ok: false; error: CrossBorderErrorResponse } {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers?.[name.toLowerCase()]?.trim();
    if (value === undefined || value === '') return { ok: false, error: crossBorderError('092000', name, { method: request.method }) };
    values[name] = value;
  }
  return { ok: true, values };
}
