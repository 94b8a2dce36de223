// Card numbers (PANs) in text and values. PCI DSS 3.4 allows showing at most the first 6 and the
// last 4 digits; everything here masks to exactly that.
//
// Which digit runs count as a PAN (the rule is documented in the README and SECURITY.md):
// - 15 to 19 digits: always, Luhn or not. Card numbers in test data and typos often fail Luhn
//   and are still card numbers; ids that long lose only their middle digits (first 6 / last 4
//   stay, so log lines still correlate).
// - 13 or 14 digits: only when the run passes Luhn and does not start with 0 or 1. Millisecond
//   timestamps (13 digits, starting with 1 until 2033) and amounts stay readable; no card network
//   issues 13- or 14-digit numbers starting with 0 or 1.
// - Written in groups (`5291 0700 0000 0898`, `5291-0700-0000-0898`, `5291%200700%20…` in a URL):
//   a first group of 4 digits, then 2 to 4 groups of 3 to 6 digits, one separator throughout,
//   judged on the digits alone as above. Dates (`2026-12-04`) and phone numbers have too few
//   digits to qualify.
// - Longer runs (20+ digits) are not PANs and are left alone, and so are digit runs inside a
//   long letters-and-digits token (32+ characters with a letter: a hex fingerprint or `kid`, a
//   base64url value), where a card number cannot stand on its own; `card5291070000000000123`
//   is still masked.

/** The placeholder for a removed secret. */
export const REDACTED = '[REDACTED]';

const contiguousRun = /(?<!\d)\d{13,19}(?!\d)/g;
const groupedRun = /(?<!\d)\d{4}( |-|%20)\d{3,6}(?:\1\d{3,6}){1,3}(?!\1?\d)/g;
const separators = /[ -]|%20/g;

/**
 * True when `digits` (digits only) is treated as a card number: 15–19 digits always, 13–14
 * digits when Luhn-valid and not starting with 0 or 1.
 *
 * @example
 * ```ts
 * isPanLike('5291070000000000123'); // true
 * isPanLike('1732540000000');       // false: a millisecond timestamp
 * ```
 */
export function isPanLike(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  if (digits.length >= 15) return true;
  return /^[2-9]/.test(digits) && passesLuhn(digits);
}

/**
 * Masks a primary account number, keeping the first 6 and last 4 digits (PCI DSS 3.4). Spaces
 * or dashes between digit groups are kept in place. Anything that is not 13–19 digits becomes
 * `[REDACTED]`, so the function never echoes what it was given.
 *
 * @example
 * ```ts
 * maskPan('5291070000000000');    // '529107******0000'
 * maskPan('5291 0700 0000 0898'); // '5291 07** **** 0898'
 * ```
 */
export function maskPan(pan: string | number | bigint): string {
  const text = String(pan);
  const digits = text.replace(separators, '');
  if (!/^\d{13,19}$/.test(digits) || !/^\d(?:\d|[ -]|%20)*\d$/.test(text)) return REDACTED;
  let seen = 0;
  // Digits are replaced in place; separators (which contain no digit but the 2 of %20, skipped
  // whole) stay where they were.
  return text.replace(/%20|\d/g, (part) => {
    if (part === '%20') return part;
    seen += 1;
    return seen <= 6 || seen > digits.length - 4 ? part : '*';
  });
}

/**
 * Masks every PAN in `text` (contiguous or grouped with spaces or dashes), keeping first 6 /
 * last 4.
 *
 * @example
 * ```ts
 * maskPansInText('GET /cards/5291070000000000123'); // 'GET /cards/529107*********0123'
 * ```
 */
export function maskPansInText(text: string): string {
  return text
    .replace(contiguousRun, (run, offset: number) => (isPanLike(run) && !insideLongToken(text, offset, run.length) ? maskPan(run) : run))
    .replace(groupedRun, (run) => (isPanLike(run.replace(separators, '')) ? maskPan(run) : run));
}

const alphanumeric = /[A-Za-z0-9]/;

// True when the run at `offset` is part of a token of 32+ letters and digits containing a
// letter: a SHA-256 fingerprint, a kid, a base64url value — an identifier, not a card number.
function insideLongToken(text: string, offset: number, length: number): boolean {
  let start = offset;
  let end = offset + length;
  while (start > 0 && alphanumeric.test(text[start - 1] as string)) start -= 1;
  while (end < text.length && alphanumeric.test(text[end] as string)) end += 1;
  return end - start >= 32 && /[A-Za-z]/.test(text.slice(start, end));
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
