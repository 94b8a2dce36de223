import { randomUUID } from 'node:crypto';
import { percentEncode } from '@mcapi/auth';
import { McapiError } from '@mcapi/errors';
import { resolveCallOptions } from '../config/call-options.js';
import type { CallDefaults } from '../config/resolve-config.js';
import type { Handler, HttpMethod, PipelineResponse } from '../pipeline/types.js';
import type { RequestOptions } from './request-options.js';

/** One operation call, as an API group describes it. */
export interface OperationCall {
  operation: string;
  method: HttpMethod;
  /** Path below the API's base URL, already with encoded path parameters. */
  path: string;
  query?: Record<string, string | boolean | number | undefined>;
  json?: unknown;
  idempotent: boolean;
  options?: RequestOptions | undefined;
  /** Headers the API needs (lower-case names); the caller's `headers` option wins over them. */
  headers?: Record<string, string>;
  /** The API requires the correlation id in this header (lower case), whatever `correlationIdHeader` says. */
  correlationHeader?: string;
  /** The per-attempt timeout is raised to at least this (0, no timeout, stays 0). */
  minTimeoutMs?: number;
}

/** Sends {@link OperationCall}s through one API's pipeline. */
export type ApiCaller = (call: OperationCall) => Promise<PipelineResponse>;

/**
 * Builds the {@link PipelineRequest} for a call (URL, headers, per-request options checked by
 * `resolveCallOptions`) and sends it through `handler`.
 *
 * @example
 * ```ts
 * const call = createApiCaller(pipeline, 'https://api.mastercard.com', config.call);
 * ```
 */
export function createApiCaller(handler: Handler, baseUrl: string, defaults: CallDefaults): ApiCaller {
  return async (call) => {
    const options = resolveCallOptions(call.options, defaults);
    // The base URL was checked at construction and path parameters are encoded by `segment`, so
    // the common case is a concatenation; only a query needs URLSearchParams.
    let url = baseUrl + call.path;
    if (call.query !== undefined) {
      // RFC 3986 encoding (space as %20, never "+"): "+" would be read literally by an OAuth 1.0a
      // base string built from the raw query (mastercard-security.md §3).
      const pairs: string[] = [];
      for (const [name, value] of Object.entries(call.query)) {
        if (value !== undefined) pairs.push(`${percentEncode(name)}=${percentEncode(String(value))}`);
      }
      if (pairs.length > 0) url += `?${pairs.join('&')}`;
    }
    const headers = options.headers;
    if (call.headers !== undefined) for (const [name, value] of Object.entries(call.headers)) headers[name] ??= value;
    const correlationId =
      options.correlationId ?? (defaults.correlationIdHeader === false && call.correlationHeader === undefined ? undefined : randomUUID());
    if (defaults.correlationIdHeader !== false && correlationId !== undefined) {
      headers[defaults.correlationIdHeader.toLowerCase()] ??= correlationId;
    }
    if (call.correlationHeader !== undefined && correlationId !== undefined) headers[call.correlationHeader] ??= correlationId;
    let timeoutMs = options.timeoutMs;
    if (call.minTimeoutMs !== undefined) {
      const effective = timeoutMs ?? defaults.timeoutMs;
      if (effective > 0 && effective < call.minTimeoutMs) timeoutMs = call.minTimeoutMs;
    }
    return handler({
      operation: call.operation,
      method: call.method,
      url,
      headers,
      ...(call.json === undefined ? {} : { json: call.json }),
      idempotent: call.idempotent,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      maxRetries: options.maxRetries,
      attempt: 0,
      ...(correlationId === undefined ? {} : { correlationId }),
    });
  };
}

/** Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are). */
export function segment(value: string, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new McapiError('ERR_INVALID_OPTION', `${name} must be a non-empty string.`);
  }
  return percentEncode(value);
}
