import { redact, redactText } from '@mcapi/errors';
import { type LosslessJson, indentJsonText, parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';

/** A body for display: JSON indented (numbers untouched), card numbers masked unless `showPan`. */
export function showBody(text: string, showPan: boolean): string {
  const value = tryParse(text);
  if (value === undefined) return showPan ? text : redactText(text);
  return indentJsonText(stringifyJsonLossless(showPan ? value : redact(value)));
}

/** A body as a JSON value for `--json` output (masked unless `showPan`); non-JSON stays text. */
export function bodyValue(text: string, showPan: boolean): LosslessJson {
  const value = tryParse(text);
  if (value === undefined) return showPan ? text : redactText(text);
  return showPan ? value : redact(value);
}

function tryParse(text: string): LosslessJson | undefined {
  if (text.trim() === '') return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}
