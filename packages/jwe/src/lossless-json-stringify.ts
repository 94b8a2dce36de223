import { randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { assertLiteral, exactWriter, isJsonNumber } from './json-number.js';

/**
 * Serialises a value as JSON like `JSON.stringify`, except that no number is changed: `bigint`
 * is written as an exact JSON integer (Mastercard's int64 card numbers) and a
 * {@link JsonNumber} (from {@link parseJsonLossless} or {@link jsonNumber}) as its exact literal,
 * so `{"amount":105.10}` parsed and written again is the same text. `undefined` properties are
 * omitted (Cross-Border asks to omit empty members); non-finite numbers are refused rather than
 * silently written as `null`, and so are circular or absurdly deep values (`ERR_INVALID_OPTION`,
 * never a raw `RangeError`).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the value holds a number JSON cannot carry (`NaN`, `Infinity`).
 *
 * @example
 * ```ts
 * stringifyJsonLossless({ cardNumber: 5291070000000000123n }); // '{"cardNumber":5291070000000000123}'
 * ```
 */
export function stringifyJsonLossless(value: unknown): string {
  try {
    const fast = stringifyNative(value);
    // JSON.stringify writes NaN and Infinity as null: a value that really holds one goes to the
    // writer that names where it is. (The walk costs less than searching the text for "null".)
    if (fast !== undefined && !holdsNonFinite(value)) return fast;
    return write(value, 'body') ?? 'null';
  } catch (error) {
    if (error instanceof McapiError) throw error;
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        'The body cannot be written as JSON: it is circular or nested too deeply. Pass plain data (objects, arrays, strings, numbers, bigint).',
      );
    }
    throw error;
  }
}

// "ÿ" (U+00FF) needs no escape in JSON, so placeholders cost JSON.stringify no escaping work.
const QUOTE = 0x22;
const placeholderTag = `\u00ff${randomBytes(6).toString('hex')}:`;

// V8's own serializer, with JsonNumber values written as placeholders through their toJSON and
// bigint likewise, swapped for the exact literals afterwards.
function stringifyNative(value: unknown): string | undefined {
  const literals: string[] = [];
  const previousWriter = exactWriter.current;
  const collect = (literal: string): string => {
    literals.push(literal);
    return `${placeholderTag}${literals.length - 1}`;
  };
  exactWriter.current = collect;
  let text: string | undefined;
  try {
    if (holdsTopLevelBigint(value)) {
      // A typed client's bodies: bigint card numbers at the top, where a glance finds them. A
      // replacer costs little on such small bodies and leaves every global alone.
      text = JSON.stringify(value, (_key, member: unknown) => (typeof member === 'bigint' ? collect(member.toString()) : member));
    } else {
      try {
        text = JSON.stringify(value);
      } catch (error) {
        // "Do not know how to serialize a BigInt" from deeper down: only then, and only for the
        // duration of this synchronous call, does BigInt.prototype get a toJSON (restored
        // exactly as it was, usually absent). On a big body this runs at V8's native speed,
        // where a replacer would call back for every member.
        if (!(error instanceof TypeError)) throw error;
        literals.length = 0;
        text = stringifyWithBigInt(value, collect);
      }
    }
  } finally {
    exactWriter.current = previousWriter;
  }
  if (text === undefined || literals.length === 0) return text;
  return insertLiterals(text, literals);
}

// Swaps each placeholder string (quotes included) for its literal: one indexOf walk (searching
// for the tag, whose first character is rare in JSON text, where a quote is everywhere) and one copy.
function insertLiterals(text: string, literals: readonly string[]): string {
  const pieces: string[] = [];
  let last = 0;
  // JSON.stringify writes members in the order it visits them, which is the order the
  // placeholders were handed out: the k-th one found must be number k, or something is wrong.
  for (let index = 0; index < literals.length; index += 1) {
    const tag = text.indexOf(placeholderTag, last);
    const number = String(index);
    const digits = tag + placeholderTag.length;
    if (tag === -1 || !text.startsWith(number, digits) || text.charCodeAt(digits + number.length) !== QUOTE) {
      throw new McapiError('ERR_INVALID_OPTION', 'The body could not be written as exact JSON.');
    }
    pieces.push(text.slice(last, tag - 1), literals[index]!); // tag - 1: the placeholder's opening quote
    last = digits + number.length + 1;
  }
  pieces.push(text.slice(last));
  return pieces.join('');
}

function stringifyWithBigInt(value: unknown, collect: (literal: string) => string): string | undefined {
  const bigintToJson = Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON');
  Object.defineProperty(BigInt.prototype, 'toJSON', {
    value(this: bigint) {
      return collect(this.toString());
    },
    configurable: true,
    writable: true,
  });
  try {
    return JSON.stringify(value);
  } finally {
    if (bigintToJson === undefined) delete (BigInt.prototype as { toJSON?: unknown }).toJSON;
    else Object.defineProperty(BigInt.prototype, 'toJSON', bigintToJson);
  }
}

// A bigint among an object's own values (not deeper): cheap, and where typed bodies keep them.
function holdsTopLevelBigint(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (typeof (value as Record<string, unknown>)[key] === 'bigint') return true;
  }
  return false;
}

// Whether JSON.stringify would have written a non-finite number as null. Walks what
// JSON.stringify walks (toJSON results included); depth is bounded because JSON.stringify
// already succeeded on the same value. Kept lean (no own-property check per key), since it runs
// over every body that holds a null: an inherited enumerable property is only possible when
// someone has polluted Object.prototype, and then the careful walk runs instead.
function holdsNonFinite(value: unknown): boolean {
  for (const _inherited in Object.prototype) return nonFiniteInOwn(value);
  if (typeof (Array.prototype as { toJSON?: unknown }).toJSON === 'function') return nonFiniteInOwn(value);
  return nonFiniteIn(value);
}

function nonFiniteIn(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) if (nonFiniteIn(value[index])) return true;
    return false;
  }
  const object = value as { toJSON?: () => unknown } & Record<string, unknown>;
  if (typeof object.toJSON === 'function') return isJsonNumber(value) ? false : nonFiniteIn(object.toJSON());
  for (const key in object) if (nonFiniteIn(object[key])) return true;
  return false;
}

function nonFiniteInOwn(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null || isJsonNumber(value)) return false;
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return nonFiniteInOwn(object.toJSON());
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) if (nonFiniteInOwn(value[index])) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && nonFiniteInOwn((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

// The reference writer: used when the output may hide a non-finite number, so the error can
// name where it is.
function write(value: unknown, where: string): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new McapiError('ERR_INVALID_OPTION', `${where} is ${value}, which JSON cannot carry; pass a finite number.`);
      }
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  if (isJsonNumber(value)) return assertLiteral(value.text);
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return write(object.toJSON(), where);
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => write(item, `${where}[${index}]`) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const text = write(entry, `${where}.${key}`);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
