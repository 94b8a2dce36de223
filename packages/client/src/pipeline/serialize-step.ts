import { McapiError } from '@mcapi/errors';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import type { Step } from './types.js';

/**
 * Request: writes `json` as exact JSON text (bigint card numbers as integers) and sets the content
 * headers. Response: parses a success body (after decryption) without losing precision. HTTP
 * error bodies are parsed by the error-body step and turned into errors by the API error step.
 *
 * @example
 * ```ts
 * compose([apiErrorStep(), serializeStep(), …], handler);
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
    if (response.status >= 400 || response.text.trim() === '') return response;
    return { ...response, json: parseBody(response.text, response.status) };
  };
}

function parseBody(text: string, status: number): unknown {
  try {
    return parseJsonLossless(text);
  } catch (error) {
    throw new McapiError('ERR_RESPONSE_INVALID', `The response body (HTTP ${status}) is not valid JSON; Mastercard answers JSON.`, {
      cause: error,
    });
  }
}

/** Request ids Mastercard's gateways and our sandbox send back. */
export function requestIdHeader(headers: Readonly<Record<string, string>>): string | undefined {
  return headers['x-request-id'] ?? headers['x-mc-request-id'] ?? headers['correlation-id'] ?? undefined;
}
