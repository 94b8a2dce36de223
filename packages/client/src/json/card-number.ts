import { McapiError } from '@mcapi/errors';

/** A card number as the typed API accepts it: a `bigint` or a string of 16 or 19 digits. */
export type CardNumberInput = bigint | string;

const panPattern = /^(\d{16}|\d{19})$/;

/**
 * Checks a card number (Mastercard's spec: 16 or 19 digits, an int64 JSON number) and returns it
 * as a `bigint` for {@link stringifyJsonLossless}. The message names the field, never the digits.
 *
 * @example
 * ```ts
 * toCardNumber('5291070000000000123', 'cardNumber'); // 5291070000000000123n
 * ```
 */
export function toCardNumber(value: unknown, field: string): bigint {
  const text = typeof value === 'bigint' ? value.toString() : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${field} must be a bigint or a digit string (a JavaScript number cannot hold every 19-digit PAN); got ${typeof value}.`,
    );
  }
  if (!panPattern.test(text)) {
    throw new McapiError('ERR_INVALID_OPTION', `${field} must have 16 or 19 digits (got ${text.length} characters).`);
  }
  const pan = BigInt(text);
  // int64 is the wire type: a 19-digit PAN above 2^63-1 cannot be sent as Mastercard specifies.
  if (pan > 9_223_372_036_854_775_807n) {
    throw new McapiError('ERR_INVALID_OPTION', `${field} exceeds the int64 range Mastercard's API uses for card numbers.`);
  }
  return pan;
}
