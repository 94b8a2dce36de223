import type { McapiErrorCode } from '@mcapi/errors';
import type { PipelineRequest, PipelineResponse } from './types.js';

/** Backoff settings; the defaults follow common SDK practice (0.5 s doubling, capped at 8 s). */
export interface RetryPolicyOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Injected for tests; default `Math.random`. */
  random?: () => number;
  /** Injected for tests; default `Date.now` (for HTTP-date `Retry-After`). */
  now?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): exponential with "full jitter" between 75 % and
 * 100 % of the step, so many clients failing together do not come back together.
 */
export function backoffDelay(attempt: number, options: RetryPolicyOptions = {}): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8_000;
  const step = Math.min(initial * 2 ** attempt, max);
  return Math.round(step * (1 - 0.25 * (options.random ?? Math.random)()));
}

/**
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) or `retry-after-ms`, in ms;
 * undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: () => number = Date.now): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/**
 * Why a response may be sent again, or undefined. 429 and 503 mean the request was not processed;
 * Mastercard's `SYSTEM_ERROR` (150001) explicitly invites an identical resubmission; other 5xx
 * only when the operation is idempotent (a payment POST that hit a 500 may have gone through).
 */
export function retryableResponse(request: PipelineRequest, response: PipelineResponse): string | undefined {
  const { status } = response;
  if (status === 429 || status === 503) return `HTTP ${status}`;
  if (status >= 400 && response.error !== undefined) {
    // The envelope was parsed once by the error-body step; the API error reads the same one.
    const systemError = response.error.errors.some(
      (error) =>
        error.reasonCode === 'SYSTEM_ERROR' ||
        (Array.isArray(error.details) && error.details.some((detail) => detail.value === '150001')),
    );
    if (systemError) return 'SYSTEM_ERROR (Mastercard asks to resubmit with identical parameters)';
  }
  if (status >= 500 && request.idempotent) return `HTTP ${status} on an idempotent operation`;
  return undefined;
}

// The codes the policy reads: mcapi's own (typed as McapiErrorCode, so a code that does not exist
// fails to compile) and the Node / undici codes below. A retry test once named an mcapi-looking
// ERR_ATTEMPT_TIMEOUT that nothing produced; this split makes such a name a compile error.
type SystemCode = 'ECONNREFUSED' | 'ENOTFOUND' | 'EAI_AGAIN' | 'EHOSTUNREACH' | 'ENETUNREACH' | 'ECONNRESET' | 'EPIPE' | `UND_ERR_${string}`;
type Code = McapiErrorCode | SystemCode;

// Failures that happen before a single byte of the request reached the server: safe for any
// method. undici and Node codes; @mcapi/transport-mtls maps connect timeouts to ERR_CONNECT_TIMEOUT.
const notSentCodes: ReadonlySet<string> = new Set<Code>([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_CONNECT_TIMEOUT',
]);
// Failures after the request may have been written (reset, closed socket, timeouts waiting for
// the answer): only idempotent operations are resent.
const ambiguousCodes: ReadonlySet<string> = new Set<Code>([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'ERR_CONNECTION',
  'ERR_HEADERS_TIMEOUT',
  'ERR_BODY_TIMEOUT',
]);

// Failures a retry cannot fix: stop looking at causes as soon as one of these is seen.
const permanentCodes: ReadonlySet<string> = new Set<McapiErrorCode>([
  'ERR_API',
  'ERR_MTLS_HANDSHAKE_REJECTED',
  'ERR_TLS_SERVER_UNTRUSTED',
  'ERR_TLS_HOSTNAME_MISMATCH',
  'ERR_RESPONSE_TOO_LARGE',
  'ERR_ABORTED',
]);

/** Why a thrown error may be retried, or undefined. */
export function retryableError(request: PipelineRequest, error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (permanentCodes.has(code)) return undefined;
      if (notSentCodes.has(code)) return `${code} (request not sent)`;
      if (ambiguousCodes.has(code) && request.idempotent) return `${code} on an idempotent operation`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
