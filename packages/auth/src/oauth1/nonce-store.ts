import { McapiError } from '@mcapi/errors';

/**
 * Remembers one-time values (OAuth 1.0a nonces, JWT `jti`s) for as long as a request carrying
 * them could still be accepted, so a captured request cannot be replayed. The one interface for
 * replay protection: the in-memory store below, or one over a shared store (Redis
 * `SET key 1 NX PX ttlMs`, a database unique key) when several processes verify the same clients.
 *
 * The contract an implementation must keep:
 * - never answer true for a key it already holds and whose `ttlMs` has not run out;
 * - never forget a key before its `ttlMs` runs out (no eviction under pressure);
 * - when it cannot record a key (full, backend unreachable), throw: the caller then refuses the
 *   request (fails closed). The memory store throws `McapiError('ERR_REPLAY_STORE_FULL')`.
 */
export interface NonceStore {
  /**
   * Records `key` for `ttlMs` milliseconds (until the request's credential leaves its acceptance
   * window). Returns true when the key was new (the request may proceed), false when it is
   * already recorded and not expired (a replay). A relative time, so the store's clock need not
   * be the verifier's.
   *
   * @throws McapiError `ERR_REPLAY_STORE_FULL` (memory store) or the backend's error when the key
   * cannot be recorded: never a silent true.
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryNonceStore}. */
export interface MemoryNonceStoreOptions {
  /** Most keys held at once. Default 100 000. */
  maxEntries?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * In-process {@link NonceStore} with bounded memory. Keys expire with their window. When the
 * store is full it sweeps out expired keys; if every key is still inside its window it refuses
 * the new one with `ERR_REPLAY_STORE_FULL` instead of forgetting an old one, so flooding the
 * verifier can delay requests but never re-open a replay. The sweep runs at most once per
 * expiry: while nothing can have expired, a full store refuses in constant time.
 *
 * @throws McapiError `ERR_INVALID_OPTION` for a bad `maxEntries` or `now`; `claim` throws
 * `ERR_REPLAY_STORE_FULL` when full and `ERR_INVALID_OPTION` for a `ttlMs` that is not a positive number.
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore({ maxEntries: 50_000 });
 * const result = await verifyOAuth1({ ...request, lookupKey, nonceStore });
 * ```
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): NonceStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.maxEntries must be a positive integer.');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new McapiError('ERR_INVALID_OPTION', 'options.now must be a function returning milliseconds.');
  const seen = new Map<string, number>();
  // Earliest expiry among the keys held after the last sweep: before it, sweeping frees nothing.
  let nextExpiry = Number.NEGATIVE_INFINITY;
  const sweep = (time: number) => {
    nextExpiry = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of seen) {
      if (expiresAt <= time) seen.delete(key);
      else if (expiresAt < nextExpiry) nextExpiry = expiresAt;
    }
  };
  return {
    claim(key, ttlMs) {
      if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
        throw new McapiError('ERR_INVALID_OPTION', 'ttlMs must be a positive number of milliseconds.');
      }
      const time = now();
      const existing = seen.get(key);
      if (existing !== undefined && existing > time) return false;
      if (existing !== undefined) seen.delete(key);
      if (seen.size >= maxEntries && time >= nextExpiry) sweep(time);
      if (seen.size >= maxEntries) {
        const seconds = Math.max(1, Math.ceil((nextExpiry - time) / 1000));
        throw new McapiError(
          'ERR_REPLAY_STORE_FULL',
          `The replay store holds ${maxEntries} one-time values that are all still inside their acceptance window, so this request is refused rather than one of them forgotten. Retry in ${seconds} s; if this is normal traffic, raise maxEntries or use a shared store.`,
        );
      }
      seen.set(key, time + ttlMs);
      // A key added after the sweep may expire before every key it saw.
      if (time + ttlMs < nextExpiry) nextExpiry = time + ttlMs;
      return true;
    },
  };
}
