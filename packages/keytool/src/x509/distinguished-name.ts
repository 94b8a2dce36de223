import { McapiError } from '@mcapi/errors';

/**
 * A certificate or CSR subject. Mastercard requires a CN; O is the company name (see
 * mastercard-security.md §6).
 */
export interface DistinguishedName {
  /** Common name, at most 64 characters (RFC 5280 ub-common-name). */
  CN: string;
  O?: string;
  OU?: string;
  /** Two-letter ISO 3166 country code. */
  C?: string;
  L?: string;
  ST?: string;
}

// RFC 5280 Appendix A upper bounds.
const maxLengths = { CN: 64, O: 64, OU: 64, C: 2, L: 128, ST: 128 } as const;
/** Attribute order in the encoded DN, most general first, as `openssl req` writes it. */
export const dnOrder = ['C', 'ST', 'L', 'O', 'OU', 'CN'] as const;
export type DnKey = (typeof dnOrder)[number];

/**
 * Checks a subject given by a caller; `option` names it in messages.
 */
export function validateDistinguishedName(subject: DistinguishedName, option: string): DistinguishedName {
  if (typeof subject !== 'object' || subject === null) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an object with at least CN.`);
  }
  for (const key of Object.keys(subject)) {
    if (!(dnOrder as readonly string[]).includes(key)) {
      throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} is not supported; use ${dnOrder.join(', ')}.`);
    }
  }
  for (const key of dnOrder) {
    const value = subject[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} must be a non-empty string.`);
    }
    if ([...value].length > maxLengths[key]) {
      throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} is longer than ${maxLengths[key]} characters.`);
    }
  }
  if (subject.CN === undefined) throw new McapiError('ERR_INVALID_OPTION', `${option}.CN is required.`);
  if (subject.C !== undefined && !/^[A-Z]{2}$/.test(subject.C)) {
    throw new McapiError('ERR_INVALID_OPTION', `${option}.C must be a two-letter upper-case country code, such as US.`);
  }
  return subject;
}

/**
 * RFC 4514-style text, most specific first (`CN=…,O=…`), as the keyring manifest records it.
 *
 * @example
 * ```ts
 * formatDistinguishedName({ CN: 'payments', O: 'Example, Ltd' }); // 'CN=payments,O=Example\\, Ltd'
 * ```
 */
export function formatDistinguishedName(subject: DistinguishedName): string {
  return [...dnOrder]
    .reverse()
    .filter((key) => subject[key] !== undefined)
    .map((key) => `${key}=${escapeValue(subject[key]!)}`)
    .join(',');
}

function escapeValue(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
