import type { RequestOptions } from '../client/request-options.js';
import type { CallDefaults } from './resolve-config.js';
import {
  checkBoolean,
  checkHeaderName,
  checkHeaderValue,
  checkMaxRetries,
  checkOptionsObject,
  checkSignal,
  checkString,
  checkTimeout,
  failIn,
  isRecord,
} from './option-rules.js';

/** One call's settings: its {@link RequestOptions} checked and merged over the client's defaults. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  /** The call's own per-attempt timeout; undefined: the client-wide one (which the pool may enforce). */
  timeoutMs: number | undefined;
  maxRetries: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  correlationId: string | undefined;
}

const knownCallOptions = ['signal', 'timeout', 'maxRetries', 'headers', 'correlationId', 'partnerId', 'includeBalance'] as const;

// Headers the pipeline owns: a per-request override must not replace a signature or the
// encryption flag.
const reservedHeaders = new Set(['authorization', 'dpop', 'x-encrypted', 'content-type', 'content-length', 'host']);

/**
 * Checks the last argument of a method by the same rules as `createClient`'s options
 * (`ERR_INVALID_OPTION` naming the option) and applies the client's defaults.
 *
 * @example
 * ```ts
 * resolveCallOptions({ timeout: 5_000 }, config.call); // { timeoutMs: 5000, maxRetries: 2, … }
 * ```
 */
export function resolveCallOptions(options: RequestOptions | undefined, defaults: CallDefaults): CallSettings {
  const fail = failIn('request options');
  const given = checkOptionsObject(options, 'options', knownCallOptions, fail) ?? {};
  checkString(given.partnerId, 'partnerId', fail);
  checkBoolean(given.includeBalance, 'includeBalance', fail);
  const headers: Record<string, string> = {};
  if (given.headers !== undefined) {
    if (!isRecord(given.headers)) fail('headers must be an object of header names to string values');
    for (const [name, value] of Object.entries(given.headers as Record<string, unknown>)) {
      const lower = checkHeaderName(name, 'headers', fail)!.toLowerCase();
      if (reservedHeaders.has(lower)) fail(`options.headers must not set "${lower}": the client computes it`);
      if (typeof value !== 'string') fail(`headers["${name}"] must be a string`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      if (/[\u0000-\u001f\u007f]/.test(value as string)) fail(`headers["${name}"] must not contain control characters`);
      headers[lower] = value as string;
    }
  }
  return {
    signal: checkSignal(given.signal, 'signal', fail),
    timeoutMs: checkTimeout(given.timeout, 'timeout', fail),
    maxRetries: checkMaxRetries(given.maxRetries, 'maxRetries', fail) ?? defaults.maxRetries,
    headers,
    correlationId: checkHeaderValue(given.correlationId, 'correlationId', fail),
  };
}
