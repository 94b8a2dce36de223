import { numberText } from '@mcapi/jwe';
import { decimalMembers } from './normalize.js';

// Mastercard's reference app writes every amount and `fees_included` as a JSON string
// (api-facts §2.14); the typed API takes a boolean or a number too, and this is where they take
// their wire form. The other direction lives in normalize.ts.

const flags = new Set(['fees_included', 'feesIncluded']);
const decimals = new Set<string>(decimalMembers);

/**
 * A copy of a Cross-Border request body with amounts as decimal strings and `fees_included` as
 * `"true"`/`"false"`. A {@link JsonNumber} keeps its exact text (`105.10` stays `"105.10"`); a
 * JavaScript number is written as JavaScript prints it (`105.10` is already `105.1`), so pass
 * strings where the text matters. Everything else is copied unchanged.
 *
 * @example
 * ```ts
 * toWireStrings({ payment_amount: { amount: 10 }, quote_type: { forward: { fees_included: true } } });
 * // { payment_amount: { amount: '10' }, quote_type: { forward: { fees_included: 'true' } } }
 * ```
 */
export function toWireStrings<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (typeof value !== 'object' || value === null || numberText(value) !== undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    let result: unknown;
    if (flags.has(key) && typeof entry === 'boolean') result = String(entry);
    else if (decimals.has(key)) result = numberText(entry) ?? entry;
    else result = walk(entry);
    Object.defineProperty(out, key, { value: result, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
