import { McapiError } from '@mcapi/errors';

/**
 * A JSON value as {@link parseJsonLossless} returns it: integers beyond 2^53 are `bigint` (or
 * digit strings with `longIntegers: 'string'`).
 */
export type LosslessJson = null | boolean | number | bigint | string | LosslessJson[] | { [key: string]: LosslessJson };

// A number literal of 16 or more digits might exceed Number.MAX_SAFE_INTEGER (2^53 has 16).
// The check may also match inside a string; that only costs the slow path, never correctness.
const maybeLargeInteger = /(?:^|[[:,])\s*-?\d{16,}/;

/** Options of {@link parseJsonLossless}. */
export interface ParseJsonLosslessOptions {
  /**
   * How long integer literals arrive. `'bigint'` (default): integers outside the safe range
   * become `bigint`, the rest numbers. `'string'`: every integer literal of 16 or more digits
   * becomes its digit string, so card numbers arrive in one type whatever their size (what a
   * server validating PANs wants).
   */
  longIntegers?: 'bigint' | 'string';
}

/**
 * Parses JSON text without losing precision: integers outside the safe range (19-digit PANs,
 * int64 ids) become `bigint`; everything else is what `JSON.parse` gives. Text without long digit
 * runs goes straight to `JSON.parse`, so ordinary responses pay nothing.
 *
 * @example
 * ```ts
 * parseJsonLossless('{"cardNumber":5291070000000000123}'); // { cardNumber: 5291070000000000123n }
 * ```
 */
export function parseJsonLossless(text: string, options: ParseJsonLosslessOptions = {}): LosslessJson {
  if (!maybeLargeInteger.test(text)) {
    try {
      return JSON.parse(text) as LosslessJson;
    } catch {
      // No cause: V8's JSON.parse message quotes the text, which may be a decrypted payload.
      throw invalid('is not valid JSON');
    }
  }
  const parser = new Parser(text, options.longIntegers === 'string');
  parser.skipSpace();
  const value = parser.value();
  parser.skipSpace();
  if (parser.index !== text.length) throw invalid(`has trailing data at offset ${parser.index}`);
  return value;
}

function invalid(problem: string): McapiError {
  return new McapiError('ERR_JSON_INVALID', `The JSON text ${problem}.`);
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// Control characters and bad escapes are left to JSON.parse of the matched literal to reject.
const stringPattern = /"(?:[^"\\]|\\.)*"/y;

class Parser {
  index = 0;
  constructor(
    private readonly text: string,
    private readonly longIntegersAsStrings: boolean,
  ) {}

  skipSpace(): void {
    const text = this.text;
    while (this.index < text.length) {
      const c = text.charCodeAt(this.index);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.index += 1;
    }
  }

  value(): LosslessJson {
    const c = this.text[this.index];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return result;
      }
    }
    throw invalid(`has an unexpected character at offset ${this.index}`);
  }

  object(): { [key: string]: LosslessJson } {
    const out: { [key: string]: LosslessJson } = {};
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] !== '"') throw invalid(`expects a property name at offset ${this.index}`);
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      // defineProperty: a "__proto__" key must stay data, never change the prototype.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.index] === ',') {
        this.index += 1;
        continue;
      }
      this.expect('}');
      return out;
    }
  }

  array(): LosslessJson[] {
    const out: LosslessJson[] = [];
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.index] === ',') {
        this.index += 1;
        continue;
      }
      this.expect(']');
      return out;
    }
  }

  string(): string {
    stringPattern.lastIndex = this.index;
    const match = stringPattern.exec(this.text);
    if (!match) throw invalid(`has a malformed string at offset ${this.index}`);
    this.index += match[0].length;
    try {
      return JSON.parse(match[0]) as string;
    } catch {
      // No cause: JSON.parse would quote the string, which may hold a PAN or a secret.
      throw invalid(`has a malformed string at offset ${this.index - match[0].length}`);
    }
  }

  number(): number | bigint | string {
    numberPattern.lastIndex = this.index;
    const match = numberPattern.exec(this.text);
    if (!match) throw invalid(`has a malformed number at offset ${this.index}`);
    this.index += match[0].length;
    const literal = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      if (this.longIntegersAsStrings && literal.replace('-', '').length >= 16) return literal;
      const value = Number(literal);
      return Number.isSafeInteger(value) ? value : BigInt(literal);
    }
    return Number(literal);
  }

  private expect(char: string): void {
    if (this.text[this.index] !== char) throw invalid(`expects "${char}" at offset ${this.index}`);
    this.index += 1;
  }
}
