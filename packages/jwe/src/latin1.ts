// Any UTF-16 unit above U+00FF. On a one-byte string (what V8 makes of ASCII and Latin-1 text)
// V8 answers without reading it: the class cannot match a one-byte character.
const beyondLatin1 = /[\u0100-\uffff]/;

/**
 * True when every character is below U+0100, so the string's Latin-1 bytes are its characters,
 * offset for offset. Free for one-byte strings, a scan for others.
 */
export function isLatin1(text: string): boolean {
  return !beyondLatin1.test(text);
}
