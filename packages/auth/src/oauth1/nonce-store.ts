import { McapiError } from '@mcapi/errors';

/**
 * Remembers nonces already used, so a captured request cannot be replayed. Implement it over a
 * shared store (Redis `SET key 1 NX PX ttlMs`, a database unique key) when several
 * processes verify the same clients.
 */
export interface NonceStore {
  /**
   * Records `key` for `ttlMs` milliseconds (until the request's timestamp leaves the accepted
   * window). Returns true when the key was new (the request may proceed), false when it is
   * already recorded and not expired (a replay). A relative time, so the store's clock need not
   * be the verifier's.
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryNonceStore}. */
export interface MemoryNonceStoreOptions {
  /** Most nonces kept at once. Default 100 000. */
  maxEntries?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * In-process {@link NonceStore} with bounded memory. Entries expire with the timestamp window;
 * when full, expired entries go first and then the oldest, so a flood can shorten how long a
 * nonce is remembered but never grow memory without bound.
 *
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
  // Map iteration follows insertion order; with a fixed window that is roughly expiry order.
  const seen = new Map<string, number>();
  return {
    claim(key, ttlMs) {
      const time = now();
      const expiresAtMs = time + ttlMs;
      const existing = seen.get(key);
      if (existing !== undefined && existing > time) return false;
      if (existing !== undefined) seen.delete(key);
      if (seen.size >= maxEntries) {
        for (const [oldKey, expiry] of seen) {
          if (expiry > time && seen.size < maxEntries) break;
          seen.delete(oldKey);
        }
      }
      seen.set(key, expiresAtMs);
      return true;
    },
  };
}
