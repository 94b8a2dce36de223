import type { Dispatcher } from 'undici';
import type { MastercardError } from '../errors/error-envelope.js';

/** HTTP methods the Mastercard APIs use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/**
 * One logical API call as it travels through the pipeline. Steps return a new object rather than
 * mutating, so a retry starts from exactly what the retry step received.
 */
export interface PipelineRequest {
  /** Operation name for logs, e.g. `crossBorder.payments.create`. */
  operation: string;
  method: HttpMethod;
  url: string;
  headers: Readonly<Record<string, string>>;
  /** The JSON value to send, before serialisation (absent for GET). */
  json?: unknown;
  /** The exact body text to send (set by the serialise and encrypt steps). */
  body?: string;
  /**
   * True when sending the request twice cannot do harm twice (GET, PUT, a quote). Decides what
   * the retry step may resend after an ambiguous failure; see `retry.ts`.
   */
  idempotent: boolean;
  signal?: AbortSignal;
  /**
   * This call's own per-attempt timeout in ms (`RequestOptions.timeout`); absent, the client-wide
   * timeout applies (see `transportHandler`).
   */
  timeoutMs?: number;
  maxRetries: number;
  /** 0 for the first attempt. */
  attempt: number;
  /** Correlation id, the same across attempts. */
  correlationId?: string;
}

/** What the transport returns and the response side of each step passes back. */
export interface PipelineResponse {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  /** Body text; the decrypt step replaces it with the plaintext. */
  text: string;
  /**
   * The body bytes exactly as received, when `text` is still their decoding: a step that
   * replaces `text` must drop them. Lets `createMastercardFetch` pass a body through unchanged.
   */
  bytes?: Uint8Array;
  /** The parsed body of a success (set by the serialise step). */
  json?: unknown;
  /** An HTTP error's body, parsed once (set by the error-body step) for the retry policy and the API error. */
  error?: ErrorBody;
}

/** An HTTP error body: the parsed JSON (or the text, for an HTML error page) and Mastercard's envelope in it. */
export interface ErrorBody {
  body: unknown;
  errors: MastercardError[];
}

/** A function that sends a request and resolves with its response. */
export type Handler = (request: PipelineRequest) => Promise<PipelineResponse>;

/** One pipeline step: wraps the next handler (design.md, "The request pipeline"). */
export type Step = (next: Handler) => Handler;

/** What every transport provides: the `request` of `@mcapi/transport-mtls` has this shape. */
export interface Transport {
  request(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string | Uint8Array;
    signal?: AbortSignal;
  }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Uint8Array }>;
  close?(): Promise<void>;
  dispatcher?: Dispatcher;
}

/**
 * Chains steps, first = outermost, ending at `last`.
 *
 * @example
 * ```ts
 * const send = compose([parse(), encrypt(cipher), retry(), authorize(signer)], transportHandler(transport));
 * ```
 */
export function compose(steps: readonly Step[], last: Handler): Handler {
  return steps.reduceRight<Handler>((next, step) => step(next), last);
}
