import { redact } from '@mcapi/errors';

/**
 * One log event. Bodies and headers are never included; URLs are reduced to their path with the
 * query removed, and the whole event passes through `redact` from `@mcapi/errors`: a PAN in the
 * path, a reason or an error message keeps at most its first 6 / last 4 digits, secrets are
 * replaced.
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
  return ({ url, ...rest }) => {
    // Redacted as a whole, not field by field, so a field added later cannot slip through.
    const event: ClientLogEvent = redact({ ...rest, path: pathOf(url) });
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
