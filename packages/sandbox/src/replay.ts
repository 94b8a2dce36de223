import type { NonceStore } from '@mcapi/auth';
import { isMcapiError } from '@mcapi/errors';

/**
 * Claims a one-time value until `expiresAtMs` (absolute, sandbox clock): true when it is new.
 * Call it only once the caller is authenticated, so strangers cannot fill the store or burn a
 * legitimate client's value. A full store throws `ERR_REPLAY_STORE_FULL` (see {@link isReplayStoreFull}).
 */
export async function claimUntil(store: NonceStore, key: string, expiresAtMs: number, now: number): Promise<boolean> {
  return store.claim(key, Math.max(1, expiresAtMs - now));
}

/** True for the error of a store that refuses to forget values inside their window: answer 503. */
export function isReplayStoreFull(error: unknown): boolean {
  return isMcapiError(error) && error.code === 'ERR_REPLAY_STORE_FULL';
}
