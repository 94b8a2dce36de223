import { indentJsonText, stringifyJsonLossless } from '@mcapi/jwe';

/** `--json` output: lossless (bigint card numbers stay exact) and indented. */
export function jsonOutput(value: unknown): string {
  return indentJsonText(stringifyJsonLossless(value));
}
