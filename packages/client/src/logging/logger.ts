import { redactText } from '@mcapi/errors';

/**
 * One log event. Bodies and headers are never included; URLs are reduced to their path with the
 * query removed, and error messages are passed through `redactText` (PANs masked).
 */
export interface ClientLogEvent {
  type: 'request' | 'response' | 'retry' | 'error' | 'decrypted';
  operation: string;
  method: string;
  /** Path only (no host, no query). */
  path: string;
  /** 0 for the first attempt. */
  attempt: number;
  status?: number;
  durationMs?: number;
  delayMs?: number;
  reason?: string;
  requestId?: string;
  correlationId?: string;
  /** `decrypted`: the kid (public-key fingerprint, not secret) of the key that decrypted the response. */
  kid?: string;
  error?: { name: string; code?: string; message: string };
}

/** A logging hook: receives every {@link ClientLogEvent}. */
export type ClientLogger = (event: Omit<ClientLogEvent, 'path'> & { url: string }) => void;

/**
 * Wraps a user hook so it receives redacted events and can never break a request by throwing.
 *
 * @example
 * ```ts
 * createClient({ …, logger: (event) => console.error(JSON.stringify(event)) });
 * ```
 */
export function safeLogger(hook: ((event: ClientLogEvent) => void) | undefined): ClientLogger | undefined {
  if (hook === undefined) return undefined;
  return ({ url, error, reason, ...rest }) => {
    const event: ClientLogEvent = { ...rest, path: pathOf(url) };
    if (reason !== undefined) event.reason = redactText(reason);
    if (error !== undefined) event.error = { ...error, message: redactText(error.message) };
    try {
      hook(event);
    } catch {
      // A logger failure must not fail the API call.
    }
  };
}

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.indexOf('?', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}
