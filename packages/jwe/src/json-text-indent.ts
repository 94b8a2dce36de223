/**
 * Indents JSON text for reading without parsing it, so what is shown is exactly what was sent or
 * received: a 19-digit card number or `105.10` keeps every character, and text that is not quite
 * JSON (a body cut short in a log, a masked PAN such as `529107******0000`) is indented as far as
 * it goes instead of refused. Strings are copied as they are; outside them, `{` `[` open a level,
 * `}` `]` close one, `,` ends a line, and whitespace is dropped.
 *
 * @example
 * ```ts
 * indentJsonText('{"a":[1,2]}'); // '{\n  "a": [\n    1,\n    2\n  ]\n}'
 * ```
 */
export function indentJsonText(text: string, indent = '  '): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => `\n${indent.repeat(depth)}`;
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
      // A closer with no opener (cut or hand-written text) leaves the depth at 0.
      depth = Math.max(0, depth - 1);
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
