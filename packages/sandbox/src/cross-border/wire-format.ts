import { createHash } from 'node:crypto';
import { isJsonNumber, stringifyJsonLossless } from '@mcapi/jwe';

// Small helpers for Cross-Border wire values (api-facts §2.4, §2.6.1).

/** An `Amount`: decimal string and ISO-4217 currency. */
export interface Amount {
  amount: string;
  currency: string;
}

/** A date-time with an explicit offset, like Mastercard's samples (`2019-09-09T04:46:19-05:00`). */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Two-decimal string of a number. */
export function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** A numeric id with a prefix: `pen_…` proposals, `rem_…` payments (api-facts §2.5). */
export function newId(prefix: string): string {
  let digits = '';
  for (let index = 0; index < 20; index++) digits += Math.floor(Math.random() * 10);
  return `${prefix}${digits}`;
}

/** A stable digest of a request body, to recognise identical resubmissions (§2.11). */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(value === undefined ? '' : stringifyJsonLossless(value)).digest('hex');
}

/** snake_case keys → camelCase, recursively (the confirmation suite is camelCase, §2.2). */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null || isJsonNumber(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()), camelCaseKeys(entry)]),
  );
}

/** Reads `additional_data.data_field[]` (object or array, §2.12) into a Map name → value. */
export function additionalData(value: unknown): Map<string, string> {
  const fields = (value as { data_field?: unknown } | undefined)?.data_field;
  const list = Array.isArray(fields) ? fields : fields === undefined ? [] : [fields];
  const out = new Map<string, string>();
  for (const field of list) {
    const { name, value: entry } = (field ?? {}) as { name?: unknown; value?: unknown };
    if (name !== undefined && entry !== undefined) out.set(String(name), String(entry));
  }
  return out;
}
