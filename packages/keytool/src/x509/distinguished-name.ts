import { McapiError } from '@mcapi/errors';
import forge from 'node-forge';

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
type DnKey = (typeof dnOrder)[number];

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

/** The subject as forge attributes: UTF8String, except C which X.520 fixes as PrintableString. */
export function toForgeAttributes(subject: DistinguishedName): forge.pki.CertificateField[] {
  return dnOrder.flatMap((key) => {
    const value = subject[key];
    if (value === undefined) return [];
    return [
      {
        shortName: key,
        value,
        valueTagClass: (key === 'C' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
      },
    ];
  });
}

/**
 * forge keeps parsed UTF8String values as raw bytes but re-encodes UTF8String values on output,
 * so parsed attributes must be decoded before they are written into another certificate.
 */
export function decodeForgeAttributes(attributes: readonly forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return attributes.map((attribute) => {
    const value = attribute.value;
    if (attribute.valueTagClass === (forge.asn1.Type.UTF8 as unknown) && typeof value === 'string') {
      return { ...attribute, value: forge.util.decodeUtf8(value) };
    }
    return { ...attribute };
  });
}

/** The supported attributes of a parsed DN (forge fields already decoded). */
export function fromForgeAttributes(attributes: readonly forge.pki.CertificateField[]): DistinguishedName {
  const result: Partial<Record<DnKey, string>> = {};
  for (const attribute of decodeForgeAttributes(attributes)) {
    const key = attribute.shortName as DnKey | undefined;
    if (key !== undefined && (dnOrder as readonly string[]).includes(key) && typeof attribute.value === 'string') {
      result[key] = attribute.value;
    }
  }
  return { ...result, CN: result.CN ?? '' };
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
