import { McapiError } from '@mcapi/errors';
import type { NonceStore } from '../oauth1/nonce-store.js';
import { type RedisStoreOptions, checkRedisOptions } from './redis-client.js';

// SET NX PX: the entry lives exactly its window on the server's clock, and the claim and the
// check are one atomic step (two replicas cannot both accept the same nonce).
const claimScript = "if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 else return 0 end";

/** Options of {@link createRedisNonceStore}. */
export interface RedisNonceStoreOptions extends RedisStoreOptions {}

/**
 * A {@link NonceStore} in Redis, shared by every replica that verifies OAuth 1.0a requests or
 * keeps any replay cache of one-time values (DPoP and assertion `jti`s: the sandbox's
 * `replayStore`).
 * Entries expire exactly at the end of their window; when Redis cannot answer the claim fails
 * with `ERR_STORE_UNAVAILABLE` — closed, never "new".
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for an invalid client or option; (`claim`) `ERR_STORE_UNAVAILABLE` when Redis does not answer in time — the store fails closed, a nonce is never taken as new.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false });
 * const nonceStore = createRedisNonceStore({ client: redis, prefix: 'mcapi:prod:nonce:' });
 * const result = await verifyOAuth1({ ...request, lookupKey, nonceStore });
 * ```
 */
export function createRedisNonceStore(options: RedisNonceStoreOptions): NonceStore {
  const { run, prefix } = checkRedisOptions(options, 'createRedisNonceStore');
  return {
    async claim(key: string, ttlMs: number): Promise<boolean> {
      if (typeof key !== 'string' || key === '') throw new McapiError('ERR_INVALID_OPTION', 'A nonce key must be a non-empty string.');
      // PX needs a positive integer; an entry whose window is already over is still recorded for
      // 1 ms so the caller's decision (accept) and the store agree.
      const window = Math.max(1, Math.ceil(ttlMs));
      return (await run(claimScript, [`${prefix}${key}`], [window])) === 1;
    },
  };
}
