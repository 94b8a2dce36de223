import { McapiError } from '@mcapi/errors';

/**
 * A JSON number whose exact text a JavaScript `number` would change: `1.0`, `105.10`, `1e2`,
 * `0.1000000000000000055511`, `-0`. {@link parseJsonLossless} returns one for every such literal so
 * that {@link stringifyJsonLossless} writes the same text back; it still behaves as a number in
 * arithmetic and comparisons (`valueOf`), and `text` is the literal as it was sent.
 */
export interface JsonNumber {
  /** The number literal exactly as written in the JSON text. */
  readonly text: string;
  /** The nearest `number` (what `JSON.parse` would have given). */
  valueOf(): number;
  /** The exact literal. */
  toString(): string;
  /** `JSON.stringify` writes the nearest number; use `stringifyJsonLossless` for the exact text. */
  toJSON(): number;
}

// A registered symbol, so two copies of @mcapi/jwe in one process recognise each other's values.
const brand = Symbol.for('@mcapi/jwe.JsonNumber');
const numberLiteral = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** True when the text is a JSON number literal (RFC 8259 §6), nothing more or less. */
export function isNumberLiteral(text: string): boolean {
  return numberLiteral.test(text);
}

// One shared, frozen prototype: values are cheap to create and cannot be edited into a
// different literal (the stringifier writes `text` as is). Values made here carry a private mark,
// so their literal (checked once, when made) is not re-checked on every write; anything else
// posing as a JsonNumber (an object made from this prototype by hand) is checked when written.
class ExactNumber {
  readonly #checked = true;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
    Object.freeze(this);
  }
  static isChecked(value: object): boolean {
    return #checked in value;
  }
  valueOf(this: JsonNumber): number {
    return Number(this.text);
  }
  toString(this: JsonNumber): string {
    return this.text;
  }
  // stringifyJsonLossless never calls this (it writes `text`); plain JSON.stringify gets the number.
  toJSON(this: JsonNumber): number {
    return Number(this.text);
  }
}
Object.defineProperty(ExactNumber.prototype, brand, { value: true });
Object.freeze(ExactNumber.prototype);

/** The literal a JsonNumber stands for, checked unless this module made it (a forged `text` never reaches the output). */
export function exactLiteral(value: JsonNumber): string {
  return ExactNumber.isChecked(value) ? value.text : assertLiteral(value.text);
}

/** Creates a {@link JsonNumber} from a literal already known to be valid (the parser's literals). */
export function trustedJsonNumber(text: string): JsonNumber {
  return new ExactNumber(text) as JsonNumber;
}

/**
 * A {@link JsonNumber} for an exact decimal or number literal, e.g. an amount you must send as
 * `105.10`. The text must be a JSON number literal.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the text is not a JSON number literal.
 *
 * @example
 * ```ts
 * stringifyJsonLossless({ amount: jsonNumber('105.10') }); // '{"amount":105.10}'
 * ```
 */
export function jsonNumber(text: string): JsonNumber {
  if (typeof text !== 'string' || !isNumberLiteral(text)) {
    throw new McapiError('ERR_INVALID_OPTION', 'jsonNumber(text) needs a JSON number literal such as "105.10" or "1e-7".');
  }
  return trustedJsonNumber(text);
}

/**
 * True for a {@link JsonNumber} (from {@link parseJsonLossless} or {@link jsonNumber}).
 *
 * @example
 * ```ts
 * isJsonNumber(parseJsonLossless('1.0')); // true
 * ```
 */
export function isJsonNumber(value: unknown): value is JsonNumber {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * The exact text of a number however {@link parseJsonLossless} delivered it (`number`, `bigint`
 * or {@link JsonNumber}); `undefined` for anything else. Use it where a decimal becomes a string
 * (an amount), so `1.0` stays `"1.0"`.
 *
 * @example
 * ```ts
 * numberText(parseJsonLossless('{"mid_rate":1.0}').mid_rate); // '1.0'
 * ```
 */
export function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (isJsonNumber(value)) return assertLiteral(value.text);
  return undefined;
}

/** The literal of a branded value, checked: a forged `text` must never reach the output as JSON. */
export function assertLiteral(text: unknown): string {
  if (typeof text !== 'string' || !isNumberLiteral(text)) {
    throw new McapiError('ERR_INVALID_OPTION', 'A JsonNumber holds text that is not a JSON number literal; create it with jsonNumber().');
  }
  return text;
}
