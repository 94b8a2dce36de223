import { parseJsonLossless } from '@mcapi/jwe';
import { parseErrorEnvelope } from '../errors/error-envelope.js';
import type { ErrorBody, Step } from './types.js';

/**
 * Innermost step: parses an HTTP error's body once, as soon as it arrives (lossless JSON, or the
 * text itself for an HTML error page), with Mastercard's envelope in it. The retry policy
 * (`SYSTEM_ERROR`) and the API error step both read `response.error`; success bodies are left to
 * the serialise step, after decryption.
 *
 * @example
 * ```ts
 * compose([…, authorizeStep(signer), errorBodyStep()], transportHandler(transport, timeout));
 * ```
 */
export function errorBodyStep(): Step {
  return (next) => async (request) => {
    const response = await next(request);
    return response.status >= 400 ? { ...response, error: readErrorBody(response.text) } : response;
  };
}

/** An error body from its text; also used when a (rare) encrypted error body has been decrypted. */
export function readErrorBody(text: string): ErrorBody {
  if (text.trim() === '') return { body: undefined, errors: [] };
  let body: unknown;
  try {
    body = parseJsonLossless(text);
  } catch {
    // An error page in HTML (gateways do that) still deserves the typed status error.
    return { body: text, errors: [] };
  }
  return { body, errors: parseErrorEnvelope(body) };
}
