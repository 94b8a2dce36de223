import { randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type JsonNumber, isNumberLiteral, trustedJsonNumber } from './json-number.js';
import { type ExactLiteral, scanJson } from './lossless-json-scan.js';

/**
 * A JSON value as {@link parseJsonLossless} returns it: integers beyond 2^53 are `bigint` (or
 * digit strings with `longIntegers: 'string'`), literals a `number` would change (`1.0`,
 * `105.10`, `1e2`) are {@link JsonNumber}s; everything else is what `JSON.parse` gives.
 */
export type LosslessJson =
  | null
  | boolean
  | number
  | bigint
  | JsonNumber
  | string
  | LosslessJson[]
  | { [key: string]: LosslessJson };

/** Options of {@link parseJsonLossless}. */
export interface ParseJsonLosslessOptions {
  /**
   * How long integer literals arrive. `'bigint'` (default): integers outside the safe range
   * become `bigint`, the rest numbers. `'string'`: every integer literal of 16 or more digits
   * becomes its digit string, so card numbers arrive in one type whatever their size (what a
   * server validating PANs wants).
   */
  longIntegers?: 'bigint' | 'string';
  /** Deepest nesting of arrays and objects accepted; default {@link defaultMaxJsonDepth}. */
  maxDepth?: number;
}

/**
 * Default nesting limit of {@link parseJsonLossless} and {@link stringifyJsonLossless}: far
 * beyond any API body, far below what recursion in a caller could not handle.
 *
 * @throws {McapiError} `ERR_JSON_INVALID` when the text is not valid JSON.
 *
 * @example
 * ```ts
 * parseJsonLossless(text, { maxDepth: defaultMaxJsonDepth / 2 });
 * ```
 */
export const defaultMaxJsonDepth = 1000;

/**
 * Parses JSON text without changing any number: integers outside the safe range (19-digit PANs,
 * int64 ids) become `bigint`, literals whose text a `number` would alter (`1.0`, `105.10`,
 * `1e2`) become {@link JsonNumber}s that {@link stringifyJsonLossless} writes back exactly;
 * everything else is what `JSON.parse` gives. One linear pre-scan finds those literals and
 * enforces `maxDepth`; text without them goes straight to `JSON.parse`. Invalid or too deeply
 * nested text is `ERR_JSON_INVALID` (the message never quotes the text).
 *
 * @example
 * ```ts
 * parseJsonLossless('{"cardNumber":5291070000000000123,"amount":105.10}');
 * // { cardNumber: 5291070000000000123n, amount: JsonNumber('105.10') }
 * ```
 */
export function parseJsonLossless(text: string, options: ParseJsonLosslessOptions = {}): LosslessJson {
  return parse(text, options, parseOrThrow);
}

/**
 * Like {@link parseJsonLossless}, but text that is not JSON gives `notJson` instead of an error
 * (a decrypted value may be a bare string). Too deep nesting is still `ERR_JSON_INVALID`.
 */
export function parseJsonLosslessOr<T>(text: string, notJson: T): LosslessJson | T {
  const fallback = Symbol('not JSON');
  const attempt = (source: string): LosslessJson => {
    try {
      return JSON.parse(source) as LosslessJson;
    } catch {
      throw fallback;
    }
  };
  try {
    return parse(text, {}, attempt);
  } catch (error) {
    if (error === fallback) return notJson;
    throw error;
  }
}

function parse(text: string, options: ParseJsonLosslessOptions, parseNative: (text: string) => LosslessJson): LosslessJson {
  if (typeof text !== 'string') throw invalid('is not a string');
  const longIntegersAsStrings = options.longIntegers === 'string';
  const maxDepth = options.maxDepth ?? defaultMaxJsonDepth;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.maxDepth must be a positive integer.');
  }
  const { literals } = scanJson(text, maxDepth, longIntegersAsStrings ? changedOrLong : changedByNumber);
  if (literals.length === 0) return parseNative(text);
  // Each protected literal is swapped for a marker string JSON.parse keeps as is, then the parsed
  // tree is walked once and every marker replaced by its exact value. The marker carries a
  // per-process random tag, so a string in the input cannot pose as one (and a duplicate key that
  // replaced a marker simply wins, as in JSON.parse).
  // The marked text is built by concatenation: JSON.parse flattens it in one pass, cheaper than
  // joining an array of two pieces per literal.
  let marked = '';
  const values: LosslessJson[] = [];
  let last = 0;
  for (const literal of literals) {
    // Only a literal in a value's place is marked: anywhere else (`{1.0:2}`) the text is not
    // JSON, and left as it is, JSON.parse says so.
    if (!endsValue(text, literal.end)) continue;
    marked += `${text.slice(last, literal.start)}"${markerPrefix}${values.length}"`;
    values.push(exactValue(text, literal, longIntegersAsStrings));
    last = literal.end;
  }
  marked += text.slice(last);
  const parsed = parseNative(marked);
  if (typeof parsed === 'string') return markerValue(parsed, values) ?? parsed; // the document is one number
  restoreMarkers(parsed, values);
  return parsed;
}

// "ÿ" (U+00FF) needs no escape in JSON and keeps one-byte text one-byte, so marked text parses
// as fast as the original; a string must start with it before the tag is even compared.
const markerPrefix = `\u00ff${randomBytes(6).toString('hex')}:`;
const MARKER_START = 0xff;

// True when what follows a literal (after whitespace) ends a value: `,`, `}`, `]` or the text.
function endsValue(text: string, from: number): boolean {
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x2c || c === 0x7d || c === 0x5d;
  }
  return true;
}

// The exact value a marker string stands for, or undefined for any other string.
function markerValue(value: string, values: LosslessJson[]): LosslessJson | undefined {
  if (value.charCodeAt(0) !== MARKER_START || !value.startsWith(markerPrefix)) return undefined;
  const digits = value.slice(markerPrefix.length);
  const index = Number(digits);
  return Number.isSafeInteger(index) && String(index) === digits && index < values.length ? values[index] : undefined;
}

// One iterative walk over what JSON.parse built (no recursion: depth is bounded by the scan, but
// the walk need not rely on it), putting every literal back where its marker landed.
function restoreMarkers(root: LosslessJson, values: LosslessJson[]): void {
  const pending: (LosslessJson[] | { [key: string]: LosslessJson })[] = [];
  if (typeof root === 'object' && root !== null) pending.push(root as LosslessJson[]);
  let found = 0;
  while (pending.length > 0 && found < values.length) {
    const container = pending.pop()!;
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index += 1) {
        const item = container[index];
        if (typeof item === 'string') {
          const value = markerValue(item, values);
          if (value !== undefined) {
            container[index] = value;
            found += 1;
          }
        } else if (typeof item === 'object' && item !== null) pending.push(item as LosslessJson[]);
      }
      continue;
    }
    for (const key in container) {
      if (!Object.hasOwn(container, key)) continue;
      const item = container[key];
      if (typeof item === 'string') {
        const value = markerValue(item, values);
        if (value === undefined) continue;
        // defineProperty: a "__proto__" key must stay data, never change the prototype.
        if (key === '__proto__') Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
        else container[key] = value;
        found += 1;
      } else if (typeof item === 'object' && item !== null) pending.push(item as LosslessJson[]);
    }
  }
}


function invalid(problem: string): McapiError {
  return new McapiError('ERR_JSON_INVALID', `The JSON text ${problem}.`);
}

function parseOrThrow(text: string): LosslessJson {
  try {
    return JSON.parse(text) as LosslessJson;
  } catch {
    // No cause: V8's JSON.parse message quotes the text, which may be a decrypted payload.
    throw invalid('is not valid JSON');
  }
}

// True when JSON.parse would not give back this literal's exact text. What the scan found may not
// be a JSON number at all (`1.0.0`, `--1`, `01.50`): such a literal is left as it is, so
// JSON.parse rejects the text, where a marker in its place would make it valid.
function changedByNumber(literal: string): boolean {
  return isNumberLiteral(literal) && changedNumber(literal);
}

function changedOrLong(literal: string): boolean {
  return isNumberLiteral(literal) && (changedNumber(literal) || /^-?\d{16,}$/.test(literal));
}

// For a valid literal. The scan's two common finds are answered without a round trip through a
// double: an integer of 17 or more digits (beyond 2^53) and a plain decimal ending in 0 (a
// double never keeps a trailing zero).
function changedNumber(literal: string): boolean {
  const exponent = literal.includes('e') || literal.includes('E');
  if (!exponent && !literal.includes('.')) {
    const digits = literal.charCodeAt(0) === 0x2d ? literal.length - 1 : literal.length;
    return digits >= 17 || !Number.isSafeInteger(Number(literal)) || literal === '-0';
  }
  if (!exponent && literal.charCodeAt(literal.length - 1) === 0x30) return true;
  return String(Number(literal)) !== literal;
}

function exactValue(text: string, literal: ExactLiteral, longIntegersAsStrings: boolean): LosslessJson {
  const source = text.slice(literal.start, literal.end);
  if (/^-?\d+$/.test(source) && source !== '-0') {
    if (longIntegersAsStrings && source.replace('-', '').length >= 16) return source;
    return BigInt(source);
  }
  return trustedJsonNumber(source);
}

