import { type BasErrorResponse, basInvalid } from '../envelopes/bas-error.js';
import { type Checked as CheckedAs, checkFields } from '../http/schema.js';

// Field checks for BAS requests. Every failure is ReasonCode 50 (api-facts §1.5) with a
// Details line naming the field, because the spec puts the 16/19-digit pattern on integer
// fields where generic validators ignore it (§1.5 "spec defects").

/** A checked value or the error response to send. */
export type Checked<T> = CheckedAs<T, BasErrorResponse>;

/** A BAS field check. */
type BasCheck<T> = (value: unknown, field: string) => Checked<T>;

/** The body as an object, or a 50 error. */
export function checkObject(body: unknown): Checked<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: basInvalid('request body must be a JSON object') };
  }
  return { ok: true, value: body as Record<string, unknown> };
}

/**
 * A card number: a JSON integer of exactly 16 or 19 digits. The lossless parser hands every
 * integer literal of 16+ digits over as a digit string, so a card number that arrives as a
 * `number` was shorter, or a fraction/exponent rounded by the double (`…0000.5`): both invalid.
 */
export function checkCardNumber(value: unknown, field: string): Checked<string> {
  if (typeof value !== 'string' || !/^(\d{16}|\d{19})$/.test(value)) {
    return { ok: false, error: basInvalid(`invalid ${field} format: a 16 or 19 digit card number is required`) };
  }
  return { ok: true, value };
}

/** A `YYYY-MM-DD` calendar date that exists. */
export function checkDate(value: unknown, field: string): Checked<string> {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return { ok: false, error: basInvalid(`invalid ${field}: a date in YYYY-MM-DD format is required`) };
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    return { ok: false, error: basInvalid(`invalid ${field}: ${value} is not a calendar date`) };
  }
  return { ok: true, value };
}

/** A segment code: a non-empty string of at most 250 characters (api-facts §1.3). */
export function checkSegmentCode(value: unknown, field: string): Checked<string> {
  if (typeof value !== 'string' || value.length === 0 || value.length > 250) {
    return { ok: false, error: basInvalid(`invalid ${field}: a segment code of 1 to 250 characters is required`) };
  }
  return { ok: true, value };
}

/** An array with exactly one object element ("array for future support", api-facts §1.2). */
export function checkSingleElement(value: unknown, field: string): Checked<Record<string, unknown>> {
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'object' || value[0] === null) {
    return { ok: false, error: basInvalid(`${field} must contain exactly one element`) };
  }
  return { ok: true, value: value[0] as Record<string, unknown> };
}

/** `isFrozen`: true or false. */
export function checkBoolean(value: unknown, field: string): Checked<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : { ok: false, error: basInvalid(`${field} must be true or false`) };
}

/** The body as an object checked field by field ({@link checkFields}), or the first ReasonCode 50. */
export function checkBasBody<S extends Record<string, BasCheck<unknown>>>(body: unknown, shape: S) {
  const object = checkObject(body);
  return object.ok ? checkFields(object.value, shape) : object;
}

/** A one-element array (`segments`) whose element is checked against `shape`, fields named `segments[0].code`. */
export function exactlyOne<S extends Record<string, BasCheck<unknown>>>(shape: S) {
  return (value: unknown, field: string) => {
    const element = checkSingleElement(value, field);
    return element.ok ? checkFields(element.value, shape, `${field}[0].`) : element;
  };
}

/** The day before a `YYYY-MM-DD` date. */
export function dayBefore(date: string): string {
  const time = new Date(`${date}T00:00:00Z`).getTime() - 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}
