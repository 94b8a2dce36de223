import { McapiError } from '@mcapi/errors';
import type { Dispatcher } from 'undici';
import type { RetryOptions } from './client-options.js';
import { MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS } from './defaults.js';

// One rule per kind of option, shared by createClient, createMastercardFetch and the per-call
// RequestOptions, so an option means the same and fails the same wherever it is given. A rule
// returns the checked value (undefined when absent) or throws ERR_INVALID_OPTION through `fail`.

/** Throws `ERR_INVALID_OPTION` with a message saying what to give instead. */
export type Fail = (message: string) => never;

/** A {@link Fail} whose messages start with where the option was given (`createClient: …`). */
export function failIn(scope: string): Fail {
  return (message) => {
    throw new McapiError('ERR_INVALID_OPTION', `${scope}: ${message}.`);
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An options object (or nothing); members not in `known` are refused, never ignored. */
export function checkOptionsObject(value: unknown, name: string, known: readonly string[], fail: Fail): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return fail(`${name} must be an object`);
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined && !known.includes(key)) fail(`${name} has no option "${key}" (known: ${known.join(', ')})`);
  }
  return value;
}

/** A per-attempt timeout in ms: a positive number Node's timers can wait for. */
export function checkTimeout(value: unknown, name: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    return fail(`${name} must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}

/** A retry count: an integer from 0 to {@link MAX_RETRIES_LIMIT}. */
export function checkMaxRetries(value: unknown, name: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_RETRIES_LIMIT) {
    return fail(`${name} must be an integer from 0 to ${MAX_RETRIES_LIMIT}`);
  }
  return value as number;
}

/** A non-empty string. */
export function checkString(value: unknown, name: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') return fail(`${name} must be a non-empty string`);
  return value;
}

/** A value that goes into an HTTP header: no control characters (CR/LF would split the header). */
export function checkHeaderValue(value: unknown, name: string, fail: Fail): string | undefined {
  const text = checkString(value, name, fail);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (text !== undefined && /[\u0000-\u001f\u007f]/.test(text)) return fail(`${name} must not contain control characters`);
  return text;
}

/** An HTTP header name (RFC 9110 token). */
export function checkHeaderName(value: unknown, name: string, fail: Fail): string | undefined {
  const text = checkString(value, name, fail);
  if (text !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(text)) return fail(`${name} must be a header name`);
  return text;
}

export function checkBoolean(value: unknown, name: string, fail: Fail): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') return fail(`${name} must be true or false`);
  return value;
}

export function checkFunction<T>(value: unknown, name: string, fail: Fail): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') return fail(`${name} must be a function`);
  return value as T;
}

/** An object whose credentials are checked by the layer that uses them (`@mcapi/auth`, transport-mtls). */
export function checkObject<T>(value: unknown, name: string, fail: Fail): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return fail(`${name} must be an object`);
  return value as T;
}

export function isDispatcher(value: unknown): value is Dispatcher {
  return typeof value === 'object' && value !== null && typeof (value as Dispatcher).dispatch === 'function';
}

export function checkDispatcher(value: unknown, name: string, fail: Fail): Dispatcher | undefined {
  if (value === undefined) return undefined;
  if (!isDispatcher(value)) return fail(`${name} must be an undici Dispatcher (an Agent, a ProxyAgent, a MockAgent)`);
  return value;
}

export function checkSignal(value: unknown, name: string, fail: Fail): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) return fail(`${name} must be an AbortSignal`);
  return value;
}

/** Backoff tuning and the injectable clock of the retry loop. */
export function checkRetry(value: unknown, name: string, fail: Fail): RetryOptions {
  const retry = checkOptionsObject(value, name, ['initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'random', 'now', 'sleep'], fail);
  if (retry === undefined) return {};
  const out: RetryOptions = {};
  for (const key of ['initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const ms = retry[key];
    if (ms === undefined) continue;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIMEOUT_MS) fail(`${name}.${key} must be a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}`);
    out[key] = ms as number;
  }
  const random = checkFunction<() => number>(retry.random, `${name}.random`, fail);
  if (random) out.random = random;
  const now = checkFunction<() => number>(retry.now, `${name}.now`, fail);
  if (now) out.now = now;
  const sleep = checkFunction<NonNullable<RetryOptions['sleep']>>(retry.sleep, `${name}.sleep`, fail);
  if (sleep) out.sleep = sleep;
  return out;
}
