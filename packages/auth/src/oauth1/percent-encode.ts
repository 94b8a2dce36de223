import { McapiError } from '@mcapi/errors';

// RFC 3986 §2.3 unreserved characters, the only bytes OAuth 1.0a leaves unencoded (RFC 5849 §3.6).
const unreserved = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') unreserved[char.charCodeAt(0)] = 1;

const hexUpper = '0123456789ABCDEF';
const encodedByte: string[] = Array.from({ length: 256 }, (_, byte) =>
  byte < 128 && unreserved[byte] === 1 ? String.fromCharCode(byte) : `%${hexUpper[byte >> 4]}${hexUpper[byte & 15]}`,
);

// encodeURIComponent leaves these five sub-delims alone; RFC 3986 (and Mastercard's Java signer)
// encodes them. Mastercard's Node signer replaces only the first `!` and `*`: a bug not copied.
const leftByEncodeUriComponent = /[!'()*]/g;
const encodeSubDelim = (char: string): string => encodedByte[char.charCodeAt(0)]!;

/**
 * RFC 3986 percent-encoding as OAuth 1.0a requires (RFC 5849 §3.6): UTF-8 bytes, uppercase hex,
 * only `A-Z a-z 0-9 - . _ ~` left as they are (so `!`, `*`, `'`, `(`, `)` and space are encoded).
 *
 * @example
 * ```ts
 * percentEncode('abc-abc-abc!123'); // 'abc-abc-abc%21123'
 * percentEncode('a b*ü');           // 'a%20b%2A%C3%BC'
 * ```
 */
export function percentEncode(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch (cause) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'The text to percent-encode contains an unpaired UTF-16 surrogate, which has no UTF-8 form. Fix the string before signing.',
      { cause },
    );
  }
  return encoded.replace(leftByEncodeUriComponent, encodeSubDelim);
}

const percent = 0x25;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * Percent-decodes `text` to bytes (`+` stays `+`: it is not a space in a URL query) and encodes
 * the bytes again RFC 3986 style. Works on bytes, not on decoded text, so invalid UTF-8 (`%E9`)
 * keeps its identity instead of collapsing into U+FFFD, where two different requests would share
 * one signature. A `%` not followed by two hex digits is taken literally.
 */
export function reencodeComponent(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (let index = 0; index < bytes.length; index++) {
    let byte = bytes[index]!;
    if (byte === percent && index + 2 < bytes.length) {
      const high = hexValue(bytes[index + 1]!);
      const low = hexValue(bytes[index + 2]!);
      if (high >= 0 && low >= 0) {
        byte = (high << 4) | low;
        index += 2;
      }
    }
    out += encodedByte[byte]!;
  }
  return out;
}

/** True when `text` holds at least one `%xx` escape (two hex digits after `%`). */
export function hasPercentEscape(text: string): boolean {
  let index = text.indexOf('%');
  while (index !== -1 && index + 2 < text.length) {
    if (hexValue(text.charCodeAt(index + 1)) >= 0 && hexValue(text.charCodeAt(index + 2)) >= 0) return true;
    index = text.indexOf('%', index + 1);
  }
  return false;
}

// Surrogates (U+D800–U+DFFF) sort above U+E000–U+FFFF in code point (= UTF-8 byte) order, below
// them in UTF-16 code unit order; this shift makes a code unit comparison give byte order.
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Compares two strings in UTF-8 byte order (RFC 5849 §3.4.1.3.2 sorts by bytes). */
export function compareBytewise(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}
