import { createApiError } from '../errors/api-error.js';
import { readErrorBody } from './error-body-step.js';
import { requestIdHeader } from './serialize-step.js';
import type { Step } from './types.js';

/**
 * Outermost step of the typed client: an HTTP error (after the retries) becomes the
 * `McapiApiError` subclass for its status, built from the body the error-body step parsed.
 * (The fetch adapter leaves HTTP errors as responses and has no such step.)
 *
 * @example
 * ```ts
 * compose([apiErrorStep(), serializeStep(), …], handler);
 * ```
 */
export function apiErrorStep(): Step {
  return (next) => async (request) => {
    const response = await next(request);
    if (response.status < 400) return response;
    const { body, errors } = response.error ?? readErrorBody(response.text);
    const requestId = errors.find((error) => error.requestId)?.requestId ?? requestIdHeader(response.headers);
    throw createApiError({
      status: response.status,
      method: request.method,
      url: request.url,
      errors,
      headers: response.headers,
      body,
      ...(requestId === undefined ? {} : { requestId }),
    });
  };
}
