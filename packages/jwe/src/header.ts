import { McapiError } from '@mcapi/errors';
import type { ContentEncryption } from './algorithms.js';
import { parseJsonLossless } from './lossless-json-parse.js';

/** The JWE protected header (RFC 7516 §4). Unknown members are kept as decoded. */
export interface JweHeader {
  alg: string;
  enc: ContentEncryption;
  kid?: string;
  cty?: string;
  zip?: string;
  [member: string]: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Deepest nesting accepted in a protected header. Real headers are flat (an `epk` JWK is one
 * level); the limit keeps a hostile header from costing more than its length.
 */
export const maxHeaderDepth = 16;

/** Parses the decoded protected header; structure only, algorithms are checked by the caller. */
export function parseHeader(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseJsonLossless(utf8.decode(bytes), { maxDepth: maxHeaderDepth });
  } catch {
    throw new McapiError(
      'ERR_JWE_MALFORMED',
      `The JWE protected header is not UTF-8 JSON (or is nested deeper than ${maxHeaderDepth} levels).`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new McapiError('ERR_JWE_MALFORMED', 'The JWE protected header is not a JSON object.');
  }
  const header = value as Record<string, unknown>;
  for (const member of ['alg', 'enc'] as const) {
    if (typeof header[member] !== 'string') {
      throw new McapiError('ERR_JWE_MALFORMED', `The JWE protected header has no "${member}" string.`);
    }
  }
  for (const member of ['kid', 'cty', 'zip'] as const) {
    if (member in header && typeof header[member] !== 'string') {
      throw new McapiError('ERR_JWE_MALFORMED', `The JWE header member "${member}" must be a string.`);
    }
  }
  return header;
}

/** Shortens attacker-controlled header values before they go into a message. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
