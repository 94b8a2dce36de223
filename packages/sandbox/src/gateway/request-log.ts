import { redact } from '@mcapi/errors';
import type { VerificationStep } from './verification-steps.js';

/**
 * One line of the request log. Paths and bodies are redacted (PANs masked, secrets removed);
 * credentials are never logged.
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
  /**
   * Which credential authenticated the call, as the dashboard lists it: the client certificate's
   * `certificateFingerprint` (mtls) or the consumer key (oauth1, request-token). During a key
   * rotation this shows when a client switched to its new certificate or signing key.
   */
  credential?: string;
  /**
   * The `certificateFingerprint` of the client certificate the connection presented, on every
   * listener that asks for one (Benefit Allocation; Cross-Border and OAuth 2.0 with
   * `crossBorderMtls`). During an mTLS rotation this shows when a client switched certificates,
   * whatever authenticated the request itself.
   */
  clientCertificate?: string;
  /** `encrypted` (decrypted fine), `plaintext`, `none` (no body), `failed`, `required` (plaintext refused). */
  decryption: string;
  /** The `kid` of a request payload that decrypted: which request-encryption certificate the client used. */
  requestKid?: string;
  /** `encrypted`, `plaintext` or `none`. */
  response: string;
  status: number;
  durationMs: number;
  /** ReasonCode of an error response. */
  reasonCode?: string;
  fault?: string;
  /** The checks made, in order: authentication step by step, fault, decryption, response encryption. */
  steps: VerificationStep[];
  /**
   * The request body as the service read it (after decryption), as text: PANs masked and secret
   * fields removed by `redact`, cut at {@link LOGGED_BODY_LIMIT} characters. Absent without a body.
   */
  requestBody?: string;
  /** The response body before encryption, or the error envelope sent; masked and cut likewise. */
  responseBody?: string;
}

/** How much of a body the log keeps (characters), so 1000 entries stay small. */
export const LOGGED_BODY_LIMIT = 8 * 1024;

/**
 * A body as the log keeps it: the first {@link LOGGED_BODY_LIMIT} characters (`redact` masks it
 * when the entry is appended; a PAN cut in half at the limit is dropped, not shown in part).
 */
export function loggedBody(text: string): string {
  if (text.length <= LOGGED_BODY_LIMIT) return text;
  return `${text.slice(0, LOGGED_BODY_LIMIT).replace(/\d+$/, '')}… (${text.length - LOGGED_BODY_LIMIT} more characters not kept)`;
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
      // One out for one in: no copy of the whole log per request once it is full.
      if (entries.length > capacity) entries.shift();
    },
    entries: () => entries.slice(),
    clear() {
      entries = [];
    },
  };
}
