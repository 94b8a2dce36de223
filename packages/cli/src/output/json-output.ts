import { stringifyJsonLossless } from '@mcapi/jwe';
import { prettyJson } from './pretty-json.js';

/** `--json` output: lossless (bigint card numbers stay exact) and indented. */
export function jsonOutput(value: unknown): string {
  return prettyJson(stringifyJsonLossless(value));
}
