import { McapiError } from '@mcapi/errors';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import { parseErrorEnvelope } from '../errors/error-envelope.js';
import { createApiError } from '../errors/api-error.js';
import type { Step } from './types.js';

/**
 * Outermost step. Request: writes `json` as exact JSON text (bigint card numbers as integers) and
 * sets the content headers. Response: parses the (decrypted) body without losing precision and
 * turns an HTTP error into the typed {@link McapiApiError} for its status.
 *
 * @example
 * ```ts
 * compose([serializeStep(), …], handler);
 * ```
 */
export function serializeStep(): Step {
  return (next) => async (request) => {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body = request.body;
    if (request.json !== undefined && body === undefined) {
      body = stringifyJsonLossless(request.json);
      headers['content-type'] = 'application/json';
    }
    const response = await next(body === undefined ? { ...request, headers } : { ...request, headers, body });
    const json = response.text.trim() === '' ? undefined : parseBody(response.text, response.status);
    if (response.status >= 400) {
      const errors = parseErrorEnvelope(json);
      const requestId = errors.find((error) => error.requestId)?.requestId ?? requestIdHeader(response.headers);
      throw createApiError({
        status: response.status,
        method: request.method,
        url: request.url,
        errors,
        headers: response.headers,
        body: json,
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
    return { ...response, json };
  };
}

function parseBody(text: string, status: number): unknown {
  try {
    return parseJsonLossless(text);
  } catch (error) {
    // An error page in HTML (gateways do that) still deserves the typed status error.
    if (status >= 400) return text;
    throw new McapiError('ERR_RESPONSE_INVALID', `The response body (HTTP ${status}) is not valid JSON; Mastercard answers JSON.`, {
      cause: error,
    });
  }
}

/** Request ids Mastercard's gateways and our sandbox send back. */
export function requestIdHeader(headers: Readonly<Record<string, string>>): string | undefined {
  return headers['x-request-id'] ?? headers['x-mc-request-id'] ?? headers['correlation-id'] ?? undefined;
}
