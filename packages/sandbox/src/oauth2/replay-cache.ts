/** Remembers one-time values (`jti`s) until they could no longer be accepted anyway. */
export interface ReplayCache {
  /** False when `key` was already claimed and has not yet expired; otherwise claims it until `expiresAt` (ms). */
  claim(key: string, expiresAt: number): boolean;
}

/**
 * An in-memory replay cache with a bounded size: expired entries are swept as new ones come in,
 * and when `maxEntries` is reached the oldest are forgotten first (a sandbox, not a bank).
 */
export function createReplayCache(now: () => number, maxEntries = 100_000): ReplayCache {
  const entries = new Map<string, number>();
  return {
    claim(key, expiresAt) {
      const current = now();
      const known = entries.get(key);
      if (known !== undefined && known > current) return false;
      entries.delete(key);
      if (entries.size >= maxEntries) {
        for (const [old, expiry] of entries) {
          if (expiry <= current || entries.size >= maxEntries) entries.delete(old);
          else break;
        }
      }
      entries.set(key, expiresAt);
      return true;
    },
  };
}
