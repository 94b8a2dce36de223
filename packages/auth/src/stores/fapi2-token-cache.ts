import { McapiError } from '@mcapi/errors';
import type { Fapi2AccessToken } from '../oauth2/fapi2-client.js';
import { type RedisStoreOptions, checkRedisOptions } from './redis-client.js';

/** A FAPI 2.0 access-token cache shared by replicas; keys name client, DPoP key thumbprint and scopes. */
export interface Fapi2TokenCache {
  get(key: string): Promise<Fapi2AccessToken | undefined>;
  /** Keeps `token` until its `expiresAt`. */
  set(key: string, token: Fapi2AccessToken): Promise<void>;
}

/** Options of {@link createRedisFapi2TokenCache}. */
export interface RedisFapi2TokenCacheOptions extends RedisStoreOptions {
  /** Clock in ms used for the entries' time to live. Default `Date.now`. */
  now?: () => number;
}

const getScript = "return redis.call('GET', KEYS[1])";
const setScript = "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";

/**
 * A {@link Fapi2TokenCache} in Redis: a DPoP-bound token obtained by one replica is reused by the
 * others that hold the same DPoP key, until it expires (the entry's time to live). Redis
 * unreachable → `ERR_STORE_UNAVAILABLE`.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for an invalid client or option; (its methods) `ERR_STORE_UNAVAILABLE` when Redis does not answer in time.
 *
 * @example
 * ```ts
 * const oauth = createFapi2Client({ ...options, dpopKey, tokenCache: createRedisFapi2TokenCache({ client: redis, prefix: 'mcapi:prod:fapi2:' }) });
 * ```
 */
export function createRedisFapi2TokenCache(options: RedisFapi2TokenCacheOptions): Fapi2TokenCache {
  const { run, prefix } = checkRedisOptions(options, 'createRedisFapi2TokenCache');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new McapiError('ERR_INVALID_OPTION', 'options.now must be a function.');
  return {
    async get(key) {
      const text = await run(getScript, [`${prefix}${key}`], []);
      if (typeof text !== 'string') return undefined;
      try {
        const token = JSON.parse(text) as Fapi2AccessToken;
        return typeof token.accessToken === 'string' && typeof token.expiresAt === 'number' && Array.isArray(token.scopes) ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, token) {
      const ttlMs = Math.floor(token.expiresAt - now());
      if (ttlMs < 1) return;
      await run(setScript, [`${prefix}${key}`], [JSON.stringify(token), ttlMs]);
    },
  };
}
