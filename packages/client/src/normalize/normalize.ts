// The one place where Mastercard's XML-derived JSON is made regular. Cross-Border samples are
// conversions from XML: a one-element list arrives as a bare object, booleans as "true"/"false",
// decimals sometimes as bare numbers (api-facts §2.12). Rules go by member name, because the
// same names mean the same thing everywhere in these APIs.

import { isJsonNumber, numberText } from '@mcapi/jwe';

/** Members that are lists (`T | T[]` on the wire): always arrays after normalisation. */
export const listMembers = ['proposal', 'data_field', 'dataFields', 'Error', 'Detail', 'detail', 'tier', 'rate', 'government_id_uri'] as const;
/** Members that are booleans, sometimes sent as strings. */
export const booleanMembers = ['fees_included', 'feesIncluded', 'Recoverable', 'isFrozen'] as const;
/** Members that are decimals, sometimes sent as bare numbers: always strings (exact text). */
export const decimalMembers = [
  'amount',
  'quote_fx_rate',
  'quoteFxRate',
  'fx_rate',
  'fxRate',
  'from_amount',
  'ask_rate',
  'mid_rate',
  'bid_rate',
  'item_count',
] as const;

type ListMember = (typeof listMembers)[number];
type BooleanMember = (typeof booleanMembers)[number];
type DecimalMember = (typeof decimalMembers)[number];

type NormalizedList<V> = V extends readonly (infer U)[] ? Normalized<U>[] : Normalized<V>[];

/** The type of a value after {@link normalizeResponse}: lists are arrays, flags booleans, decimals strings. */
export type Normalized<T> = T extends readonly (infer U)[]
  ? Normalized<U>[]
  : T extends object
    ? {
        [K in keyof T]: K extends ListMember
          ? NormalizedList<NonNullable<T[K]>>
          : K extends BooleanMember
            ? boolean
            : K extends DecimalMember
              ? string
              : Normalized<T[K]>;
      }
    : T;

const lists = new Set<string>(listMembers);
const booleans = new Set<string>(booleanMembers);
const decimals = new Set<string>(decimalMembers);

/**
 * Returns a normalised copy of a parsed response body (the input is not changed).
 *
 * @example
 * ```ts
 * normalizeResponse({ proposals: { proposal: { fees_included: 'true', charged_amount: { amount: 8.35 } } } });
 * // { proposals: { proposal: [{ fees_included: true, charged_amount: { amount: '8.35' } }] } }
 * ```
 */
export function normalizeResponse<T>(value: T): Normalized<T> {
  return walk(value) as Normalized<T>;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (typeof value !== 'object' || value === null || isJsonNumber(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    let result: unknown;
    if (lists.has(key)) result = entry === null || entry === undefined || entry === '' ? [] : (Array.isArray(entry) ? entry : [entry]).map(walk);
    else if (booleans.has(key)) result = toBoolean(entry);
    // The literal as sent (`1.0` stays "1.0"): the lossless parser kept it, a number would not.
    else if (decimals.has(key)) result = numberText(entry) ?? entry;
    else result = walk(entry);
    Object.defineProperty(out, key, { value: result, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * `true`/`false` from a boolean or its string form (any case, surrounding spaces ignored); other
 * values are returned unchanged so nothing is silently invented.
 *
 * @example
 * ```ts
 * toBoolean('TRUE '); // true
 * ```
 */
export function toBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : value;
}

/**
 * `T | T[]` (or absent) as an array.
 *
 * @example
 * ```ts
 * asArray({ Name: 'ErrorDetailCode' }); // [{ Name: 'ErrorDetailCode' }]
 * ```
 */
export function asArray<T>(value: T | readonly T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}
