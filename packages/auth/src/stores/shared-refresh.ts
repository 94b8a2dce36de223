import type { RefreshTokenStore, StoredRefreshToken } from '../oauth2/refresh-token-store.js';

/** An access token one replica obtained and every replica may use until it expires. */
export interface SharedAccessToken {
  accessToken: string;
  /** Expiry in ms since the epoch. */
  expiresAt: number;
}

/** Writes made by the replica that holds the refresh lock; refused once it no longer holds it. */
export interface RefreshCommit {
  save(token: StoredRefreshToken): Promise<void>;
  clear(): Promise<void>;
}

/** What {@link SharedRefreshTokenStore.coordinateRefresh} runs. */
export interface CoordinateRefreshOptions {
  /** Whether a token another replica published may still be used (the client's early-refresh rule). */
  isFresh(token: SharedAccessToken): boolean;
  /** The refresh itself: runs on exactly one replica at a time, writing through `commit`. */
  refresh(commit: RefreshCommit): Promise<SharedAccessToken>;
}

/**
 * A {@link RefreshTokenStore} shared by replicas: it also serializes refreshes, so that one replica
 * spends the (rotating) refresh token and the others use the access token it obtained.
 */
export interface SharedRefreshTokenStore extends RefreshTokenStore {
  coordinateRefresh(options: CoordinateRefreshOptions): Promise<SharedAccessToken>;
}

export function isSharedRefreshTokenStore(store: RefreshTokenStore): store is SharedRefreshTokenStore {
  return typeof (store as Partial<SharedRefreshTokenStore>).coordinateRefresh === 'function';
}
