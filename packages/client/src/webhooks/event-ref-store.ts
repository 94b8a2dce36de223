/**
 * Remembers which notifications were delivered, so Mastercard's retries (up to three, api-facts
 * §2.6.12) reach `onEvent` once. Implement it on a shared store (Redis, a database) when several
 * replicas receive notifications.
 */
export interface EventRefStore {
  /** True when `eventRef` was delivered and is still remembered. */
  has(eventRef: string): boolean | Promise<boolean>;
  /** Records a delivered `eventRef` for `ttlMs`. */
  add(eventRef: string, ttlMs: number): void | Promise<void>;
}

/** Options of {@link createMemoryEventRefStore}. */
export interface MemoryEventRefStoreOptions {
  /** Most references kept; the oldest are forgotten first. Default 100 000. */
  maxEntries?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * The default, per-process store: a bounded map in insertion (= expiry) order. When full it
 * forgets the oldest delivered reference — a late retry of that one would be delivered again
 * (at least once), never dropped.
 *
 * @example
 * ```ts
 * createWebhookHandler({ onEvent, eventRefStore: createMemoryEventRefStore({ maxEntries: 10_000 }) });
 * ```
 */
export function createMemoryEventRefStore(options: MemoryEventRefStoreOptions = {}): EventRefStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  return {
    has(eventRef) {
      const expiry = expiries.get(eventRef);
      if (expiry === undefined) return false;
      if (expiry > now()) return true;
      expiries.delete(eventRef);
      return false;
    },
    add(eventRef, ttlMs) {
      expiries.delete(eventRef);
      expiries.set(eventRef, now() + ttlMs);
      for (const [oldest, expiry] of expiries) {
        if (expiries.size <= maxEntries && expiry > now()) break;
        expiries.delete(oldest);
      }
    },
  };
}
