import { redact } from '@mcapi/errors';

/**
 * One line of the request log. Paths are redacted; bodies and credentials are never logged.
 *
 * @example
 * ```ts
 * const last = sandbox.log().at(-1); // { listener: 'benefitAllocation', auth: 'mtls', decryption: 'encrypted', status: 200, … }
 * ```
 */
export interface RequestLogEntry {
  id: number;
  time: string;
  listener: 'benefitAllocation' | 'crossBorder';
  method: string;
  path: string;
  project?: string;
  /** e.g. `mtls`, `oauth1`, `request-token`, or `failed: <reason>`. */
  auth: string;
  /** `encrypted` (decrypted fine), `plaintext`, `none` (no body), `failed`, `required` (plaintext refused). */
  decryption: string;
  /** `encrypted`, `plaintext` or `none`. */
  response: string;
  status: number;
  durationMs: number;
  /** ReasonCode of an error response. */
  reasonCode?: string;
  fault?: string;
}

/** A bounded in-memory log; the oldest entries drop off. */
export interface RequestLog {
  append(entry: Omit<RequestLogEntry, 'id' | 'time'>): void;
  entries(): RequestLogEntry[];
  clear(): void;
}

/** Creates a request log holding at most `capacity` entries. */
export function createRequestLog(capacity = 1000): RequestLog {
  let entries: RequestLogEntry[] = [];
  let nextId = 1;
  return {
    append(entry) {
      // `redact` masks any PAN or credential that could hide in a path or query string.
      entries.push(redact({ id: nextId++, time: new Date().toISOString(), ...entry }));
      if (entries.length > capacity) entries = entries.slice(-capacity);
    },
    entries: () => entries.slice(),
    clear() {
      entries = [];
    },
  };
}
