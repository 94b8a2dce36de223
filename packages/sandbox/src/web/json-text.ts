/**
 * Indents JSON text for reading without parsing it: the log keeps bodies as (masked, possibly
 * cut) text, and re-parsing would lose the exact number literals the client sent. Strings are
 * copied as they are; outside them, `{ [` open a level, `} ]` close one, `,` ends a line.
 *
 * @example
 * ```ts
 * indentJsonText('{"a":[1,2]}'); // '{\n  "a": [\n    1,\n    2\n  ]\n}'
 * ```
 */
export function indentJsonText(text: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => `\n${'  '.repeat(Math.max(0, depth))}`;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (inString) {
      out += character;
      if (character === '\\') out += text[++index] ?? '';
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') {
      inString = true;
      out += character;
    } else if (character === '{' || character === '[') {
      const closing = character === '{' ? '}' : ']';
      if (text[index + 1] === closing) {
        out += character + closing;
        index++;
      } else {
        depth++;
        out += character + newline();
      }
    } else if (character === '}' || character === ']') {
      depth--;
      out += newline() + character;
    } else if (character === ',') {
      out += `,${newline()}`;
    } else if (character === ':') {
      out += ': ';
    } else if (!/\s/.test(character)) {
      out += character;
    }
  }
  return out;
}
