import type { RefreshTokenStore, StoredRefreshToken } from '../oauth2/refresh-token-store.js';

/**
 * A {@link RefreshTokenStore} in process memory: the login lasts as long as the process. For one
 * replica in tests and short-lived jobs; use the file store to survive restarts and the Redis
 * store to share one login between replicas.
 *
 * @example
 * ```ts
 * const balances = createAuthorizationCodeClient({ ...options, store: createMemoryRefreshTokenStore() });
 * ```
 */
export function createMemoryRefreshTokenStore(): RefreshTokenStore {
  let current: StoredRefreshToken | undefined;
  return {
    load: async () => (current === undefined ? undefined : { ...current }),
    save: async (token) => {
      current = { refreshToken: token.refreshToken, expiresAt: token.expiresAt };
    },
    clear: async () => {
      current = undefined;
    },
  };
}
