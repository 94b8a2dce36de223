import { performance } from 'node:perf_hooks';
import type { ClientLogger } from '../logging/logger.js';
import { requestIdHeader } from './serialize-step.js';
import type { Step } from './types.js';

/**
 * Per-attempt logging: request start, response (status, duration, request id) or error.
 *
 * @example
 * ```ts
 * compose([…, retryStep(), logStep(logger), authorizeStep(signer)], handler);
 * ```
 */
export function logStep(logger: ClientLogger): Step {
  return (next) => async (request) => {
    const base = {
      operation: request.operation,
      method: request.method,
      url: request.url,
      attempt: request.attempt,
      ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
    };
    logger({ type: 'request', ...base });
    const start = performance.now();
    try {
      const response = await next(request);
      const requestId = requestIdHeader(response.headers);
      logger({
        type: 'response',
        ...base,
        status: response.status,
        durationMs: Math.round((performance.now() - start) * 100) / 100,
        ...(requestId === undefined ? {} : { requestId }),
      });
      return response;
    } catch (error) {
      const { name, message, code } = error as { name?: string; message?: string; code?: unknown };
      logger({
        type: 'error',
        ...base,
        durationMs: Math.round((performance.now() - start) * 100) / 100,
        error: { name: name ?? 'Error', message: message ?? String(error), ...(typeof code === 'string' ? { code } : {}) },
      });
      throw error;
    }
  };
}
