import { McapiError } from '@mcapi/errors';
import { isLatin1 } from './latin1.js';
import { scanOneByteJson } from './lossless-json-scan-wasm.js';

/** A number literal that `JSON.parse` would change: where it sits in the text. */
export interface ExactLiteral {
  start: number;
  end: number;
}

/** What {@link scanJson} found. */
export interface JsonScan {
  /** Literals to protect, in text order; empty on the fast path. */
  literals: ExactLiteral[];
}

/** Decides, per number literal, whether it must be protected from `JSON.parse`. */
export type LiteralNeedsProtection = (literal: string) => boolean;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

// Below this length the scalar scan costs less than copying the text into WebAssembly memory.
const wasmMinimumLength = 256;

/**
 * One linear pass over JSON text, before `JSON.parse` sees it: enforces the nesting limit and
 * finds the number literals `JSON.parse` would alter. Text of one-byte characters (nearly every
 * API body) is scanned in WebAssembly, 16 bytes at a time inside strings (lossless-json-scan-wasm.ts);
 * other text, and any process without WebAssembly, takes {@link scanJsonScalar}. Both give the
 * same answer (a property test compares them).
 */
export function scanJson(text: string, maxDepth: number, needsProtection: LiteralNeedsProtection): JsonScan {
  if (text.length >= wasmMinimumLength && isLatin1(text)) {
    const literals = scanOneByteJson(text, maxDepth, needsProtection);
    if (literals !== undefined) return { literals };
  }
  return scanJsonScalar(text, maxDepth, needsProtection);
}

/**
 * The scan in JavaScript, for any text (wasm/json-scan.wat is the same algorithm for one-byte
 * text). Strings are skipped with `indexOf` (native
 * speed, no regular expression that could recurse on a 10 MB string); only the text between
 * strings is looked at character by character, and only brackets and numbers do any work: where
 * a literal sits in the document is found after parsing (see lossless-json-parse.ts), so the
 * common case (no literal to protect) pays for nothing else. The text is not validated here:
 * `JSON.parse` does that next, so for invalid text the scan only has to end, in linear time.
 */
export function scanJsonScalar(text: string, maxDepth: number, needsProtection: LiteralNeedsProtection): JsonScan {
  const literals: ExactLiteral[] = [];
  const length = text.length;
  let depth = 0;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) break; // unterminated: JSON.parse rejects it
      i = end + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth >= maxDepth) {
        throw new McapiError('ERR_JSON_INVALID', `The JSON text is nested deeper than ${maxDepth} levels (offset ${i}).`);
      }
      depth += 1;
      i += 1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth -= 1;
      i += 1;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      // Classified while read, so the common literals (short integers, decimals of up to 15
      // significant digits) cost no slice and no number formatting.
      const start = i;
      let digits = 0;
      let insignificant = 0; // zeros before the first significant digit
      let significant = false;
      let dot = false;
      let other = false; // exponent, sign inside, second dot: left to the exact check
      i += c === MINUS ? 1 : 0;
      for (; i < length; i += 1) {
        const d = text.charCodeAt(i);
        if (d >= ZERO && d <= NINE) {
          digits += 1;
          if (!significant) {
            if (d === ZERO) insignificant += 1;
            else significant = true;
          }
        } else if (d === DOT && !dot) dot = true;
        else if (d === DOT || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) other = true;
        else break;
      }
      const last = text.charCodeAt(i - 1);
      let exact: boolean;
      if (other) exact = false;
      else if (!dot) exact = digits < 16 && !(c === MINUS && digits === 1 && last === ZERO); // -0
      // Up to 15 significant digits always come back from a double as written (DBL_DIG), unless
      // a trailing zero would be dropped or the value is below 1e-6 (written with an exponent).
      else exact = last !== ZERO && digits - insignificant <= 15 && insignificant < 7;
      if (!exact && needsProtection(text.slice(start, i))) literals.push({ start, end: i });
    } else {
      i += 1;
    }
  }
  return { literals };
}

// A quote is escaped when an odd number of backslashes precede it.
function isEscaped(text: string, quote: number): boolean {
  let count = 0;
  for (let j = quote - 1; j >= 0 && text.charCodeAt(j) === BACKSLASH; j -= 1) count += 1;
  return count % 2 === 1;
}
