import { type Check, type Checked, checkFields } from '../http/schema.js';
import { DashboardProblem } from './dashboard-routing.js';

// Field checks of dashboard bodies: a failure is a 400 `ERR_INVALID_OPTION` naming the field.

const invalid = (message: string): Checked<never, DashboardProblem> => ({ ok: false, error: new DashboardProblem(400, 'ERR_INVALID_OPTION', message) });

/** A string member. */
export const text: Check<string, DashboardProblem> = (value, field) => (typeof value === 'string' ? { ok: true, value } : invalid(`${field} must be a string.`));

/** A number member. */
export const number: Check<number, DashboardProblem> = (value, field) => (typeof value === 'number' ? { ok: true, value } : invalid(`${field} must be a number.`));

/** A boolean member. */
export const boolean: Check<boolean, DashboardProblem> = (value, field) => (typeof value === 'boolean' ? { ok: true, value } : invalid(`${field} must be true or false.`));

/** An array of strings. */
export const texts: Check<string[], DashboardProblem> = (value, field) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? { ok: true, value: value as string[] } : invalid(`${field} must be an array of strings.`);

/** One of the given strings. */
export function oneOf<T extends string>(...allowed: T[]): Check<T, DashboardProblem> {
  return (value, field) => (allowed.includes(value as T) ? { ok: true, value: value as T } : invalid(`${field} must be ${allowed.map((item) => `"${item}"`).join(' or ')}.`));
}

/** A value that is checked further by the function it is given to (a JWK, a fault rule). */
export const anything: Check<unknown, DashboardProblem> = (value) => ({ ok: true, value });

/** The body as a JSON object, or a 400. */
export function objectBody(body: unknown, hint = ''): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DashboardProblem(400, 'ERR_INVALID_OPTION', `The request body must be a JSON object${hint}.`);
  }
  return body as Record<string, unknown>;
}

/** {@link checkFields} for the dashboard: the typed fields, or the 400 thrown. */
export function dashboardFields<S extends Parameters<typeof checkFields>[1]>(body: unknown, shape: S, hint?: string) {
  const checked = checkFields(objectBody(body, hint), shape);
  if (!checked.ok) throw checked.error;
  return checked.value;
}
