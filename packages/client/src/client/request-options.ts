/**
 * Per-request overrides, accepted as the last argument of every method.
 *
 * @example
 * ```ts
 * await client.crossBorder.payments.retrieve('rem_123', { timeout: 5_000, maxRetries: 0, signal });
 * ```
 */
export interface RequestOptions {
  /** Abort the call (and any wait between retries). */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms; default the client's `timeout`. */
  timeout?: number;
  /** Retries for this call; default the client's `maxRetries`. */
  maxRetries?: number;
  /** Extra request headers (authentication headers cannot be overridden). */
  headers?: Record<string, string>;
  /** Correlation id to send instead of a generated one. */
  correlationId?: string;
  /** Cross-Border partner id for this call; default the client's `crossBorder.partnerId`. */
  partnerId?: string;
}
