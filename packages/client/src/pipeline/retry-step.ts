import { setTimeout as sleep } from 'node:timers/promises';
import { McapiError } from '@mcapi/errors';
import type { ClientLogger } from '../logging/logger.js';
import { backoffDelay, type RetryPolicyOptions, retryableError, retryableResponse, retryAfterMs } from './retry-policy.js';
import type { Step } from './types.js';

/** Options of {@link retryStep}. */
export interface RetryStepOptions extends RetryPolicyOptions {
  logger?: ClientLogger;
  /** Injected for tests; default `timers/promises` setTimeout honouring the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Sends a request up to `maxRetries + 1` times. Only what is safe is retried (see
 * `retry-policy.ts`); each attempt goes through the inner steps again, so it is signed anew with a
 * fresh nonce and timestamp. A server's `Retry-After` wins over the computed backoff.
 *
 * @example
 * ```ts
 * compose([serializeStep(), encryptStep(crypto, wrapper), retryStep({ logger })], signed);
 * ```
 */
export function retryStep(options: RetryStepOptions = {}): Step {
  const wait = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleep(ms, undefined, signal ? { signal } : {}));
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  return (next) => async (request) => {
    for (let attempt = 0; ; attempt += 1) {
      const current = { ...request, attempt };
      let reason: string | undefined;
      let delay: number | undefined;
      try {
        const response = await next(current);
        reason = attempt < request.maxRetries ? retryableResponse(current, response) : undefined;
        if (reason === undefined) return response;
        const after = retryAfterMs(response.headers, options.now);
        if (after !== undefined) {
          if (after > maxRetryAfter) return response;
          delay = after;
        }
      } catch (error) {
        if (request.signal?.aborted) throw abortError(request.signal.reason, error);
        reason = attempt < request.maxRetries ? retryableError(current, error) : undefined;
        if (reason === undefined) throw error;
      }
      delay ??= backoffDelay(attempt, options);
      options.logger?.({
        type: 'retry',
        operation: request.operation,
        method: request.method,
        url: request.url,
        attempt: attempt + 1,
        delayMs: delay,
        reason,
        ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
      });
      try {
        await wait(delay, request.signal);
      } catch (error) {
        throw abortError(request.signal?.reason, error);
      }
    }
  };
}

function abortError(reason: unknown, cause: unknown): McapiError {
  return new McapiError('ERR_ABORTED', `The request was aborted${reason instanceof Error ? `: ${reason.message}` : ''}.`, { cause });
}
