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
    const survey = surveyValue(value);
    // JSON.stringify writes NaN and Infinity as null: a value that holds one goes to the writer
    // that names where it is.
    const fast = survey.nonFinite ? undefined : stringifyNative(value, survey);
    if (fast !== undefined) return fast;
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
// Below this many members a replacer costs less than giving BigInt.prototype a toJSON (which
// makes V8 drop optimised code on every call); above it, the replacer's per-member call costs more.
const replacerMembers = 4096;

// V8's own serializer, with JsonNumber values written as placeholders through their toJSON and
// bigint likewise, swapped for the exact literals afterwards.
function stringifyNative(value: unknown, survey: Survey): string | undefined {
  const literals: string[] = [];
  const previousWriter = exactWriter.current;
  const collect = (literal: string): string => {
    literals.push(literal);
    return `${placeholderTag}${literals.length - 1}`;
  };
  exactWriter.current = collect;
  let text: string | undefined;
  try {
    if (!survey.bigint) text = JSON.stringify(value);
    else if (survey.members <= replacerMembers) {
      text = JSON.stringify(value, (_key, member: unknown) => (typeof member === 'bigint' ? collect(member.toString()) : member));
    } else text = stringifyWithBigInt(value, collect);
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

// Only for a big body holding a bigint, and only for the duration of this synchronous call, does
// BigInt.prototype get a toJSON (restored exactly as it was, usually absent): V8's serializer then
// runs at native speed where a replacer would call back for every member.
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

/** What one walk over a value found before it is written. */
interface Survey {
  /** A bigint somewhere (JSON.stringify alone would throw). */
  bigint: boolean;
  /** NaN or ±Infinity somewhere (JSON.stringify alone would write null). */
  nonFinite: boolean;
  /** Members visited: how big the body is. */
  members: number;
}

// One walk over what JSON.stringify walks (toJSON results included), before it runs: it finds
// what V8's serializer would refuse or alter, so neither a thrown TypeError nor a wrong `null` is
// ever the way to find out. Kept lean (no own-property check per key): an inherited enumerable
// property exists only when someone has polluted Object.prototype, and then the careful walk runs.
// Circular or absurdly deep values overflow the stack here: a RangeError, reported as such.
function surveyValue(value: unknown): Survey {
  const survey: Survey = { bigint: false, nonFinite: false, members: 0 };
  let careful = typeof (Array.prototype as { toJSON?: unknown }).toJSON === 'function';
  for (const _inherited in Object.prototype) careful = true;
  visit(value, survey, careful);
  return survey;
}

function visit(value: unknown, survey: Survey, careful: boolean): void {
  survey.members += 1;
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) survey.nonFinite = true;
      return;
    case 'bigint':
      survey.bigint = true;
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null) return;
  if (careful) {
    visitCarefully(value, survey);
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) visit(value[index], survey, false);
    return;
  }
  const object = value as { toJSON?: () => unknown } & Record<string, unknown>;
  if (typeof object.toJSON === 'function') {
    if (!isJsonNumber(value)) visit(object.toJSON(), survey, false);
    return;
  }
  for (const key in object) visit(object[key], survey, false);
}

function visitCarefully(value: object, survey: Survey): void {
  if (isJsonNumber(value)) return;
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') {
    visit(object.toJSON(), survey, true);
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) visit(value[index], survey, true);
    return;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key)) visit((value as Record<string, unknown>)[key], survey, true);
  }
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
