// BAS sends card numbers as JSON *numbers* (api-facts §1.7): a 19-digit PAN, or a 16-digit one
// above 2^53, loses digits in `JSON.parse`. Integer tokens of 16 or more digits are therefore
// quoted before parsing, so they arrive as exact digit strings. Everything else parses as usual.

const LONG_INTEGER_DIGITS = 16;

/**
 * Parses JSON like `JSON.parse`, except that integer literals of 16 or more digits become digit
 * strings (sign kept) instead of lossy doubles.
 *
 * @example
 * ```ts
 * parseJsonLossless('{"cardNumber":5291070000000000123}'); // { cardNumber: '5291070000000000123' }
 * ```
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

/** Rewrites `text` so integer tokens of 16+ digits are JSON strings; strings are left untouched. */
export function quoteLongIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      // Skip the whole string literal, honouring escapes.
      index++;
      while (index < length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) index += 2;
        else if (inner === 0x22) break;
        else index++;
      }
      index++;
      continue;
    }
    if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      const start = index;
      if (char === 0x2d) index++;
      const digitsStart = index;
      while (index < length && isDigit(text.charCodeAt(index))) index++;
      const digits = index - digitsStart;
      const next = text.charCodeAt(index);
      const isInteger = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45; /* E */
      if (isInteger && digits >= LONG_INTEGER_DIGITS) {
        out += `${text.slice(copiedUpTo, start)}"${text.slice(start, index)}"`;
        copiedUpTo = index;
      } else {
        // Consume the rest of a number token (fraction, exponent) so its digits are not revisited.
        while (index < length && /[0-9.eE+-]/.test(text[index]!)) index++;
      }
      continue;
    }
    index++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
