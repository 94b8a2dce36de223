import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { McapiError } from '@mcapi/errors';
import type { StoredRefreshToken } from '../oauth2/refresh-token-store.js';
import { type RedisStoreOptions, checkRedisOptions } from './redis-client.js';
import type { CoordinateRefreshOptions, SharedAccessToken, SharedRefreshTokenStore } from './shared-refresh.js';

/** Options of {@link createRedisRefreshTokenStore}. */
export interface RedisRefreshTokenStoreOptions extends RedisStoreOptions {
  /**
   * How long the refresh lock lives if its holder dies (the holder never extends it). Must be longer
   * than one token request. Default 30 000 ms.
   */
  lockTtlMs?: number;
  /** How long a replica waits for another replica's refresh before `ERR_STORE_LOCK_TIMEOUT`. Default 60 000 ms. */
  waitTimeoutMs?: number;
  /** How often a waiting replica looks for the result. Default 50 ms. */
  pollIntervalMs?: number;
}

// Keys (all under the prefix): refresh = the stored refresh token JSON, fence:state = the fencing
// token of the write that produced it, access = the shared access token JSON (expires with it),
// lock = the refresh lock's owner, fence = the fencing counter.
const acquireScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return 0`;
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// A write by the lock holder is refused when it no longer owns the lock (it expired and maybe
// another replica took it) or when a newer write (a higher fence) already landed.
const fencedScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local fence = tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[2]) or '0') > fence then return 0 end
if ARGV[3] == 'save' then
  redis.call('SET', KEYS[3], ARGV[4])
  redis.call('SET', KEYS[2], fence)
elseif ARGV[3] == 'clear' then
  redis.call('DEL', KEYS[3], KEYS[4])
  redis.call('SET', KEYS[2], fence)
else
  redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
end
return 1`;
// A write outside the lock (the code exchange after a login, logout) takes a new fence, so a
// refresh still in flight from before cannot overwrite it.
const unfencedScript = `
local fence = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], fence)
redis.call('DEL', KEYS[4])
if ARGV[1] == 'save' then redis.call('SET', KEYS[3], ARGV[2]) else redis.call('DEL', KEYS[3]) end
return fence`;
const getScript = "return redis.call('GET', KEYS[1])";

/**
 * A refresh-token store in Redis for N replicas sharing one authorization-code login (e.g. the
 * Cross-Border balances credential). Exactly one replica refreshes at a time, under a Redis lock
 * with a fencing token; the others wait and use the access token it publishes, so the rotating
 * refresh token is never sent twice (which the server would treat as reuse and revoke the login).
 * A crashed holder's lock expires after `lockTtlMs`; a holder that outlived its lock cannot
 * overwrite newer state. Redis unreachable → `ERR_STORE_UNAVAILABLE`, never a silent local refresh.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for an invalid client or option; (its methods) `ERR_STORE_UNAVAILABLE` when Redis does not answer in time, `ERR_STORE_LOCK_TIMEOUT` when another replica holds the refresh lock past `waitTimeoutMs`, `ERR_STORE_LOCK_LOST` when this replica's lock expired before it saved (a newer refresh is kept), `ERR_OAUTH2_TOKEN` when the stored record has an unexpected shape.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const redis = new Redis('rediss://mcapi:secret@redis.internal:6380/0', { enableOfflineQueue: false });
 * const balances = createAuthorizationCodeClient({
 *   tokenEndpoint, clientId, clientSecret, redirectUri,
 *   store: createRedisRefreshTokenStore({ client: redis, prefix: 'mcapi:prod:balances:' }),
 * });
 * ```
 */
export function createRedisRefreshTokenStore(options: RedisRefreshTokenStoreOptions): SharedRefreshTokenStore {
  const { run, prefix } = checkRedisOptions(options, 'createRedisRefreshTokenStore');
  const lockTtlMs = positiveInteger(options.lockTtlMs, 30_000, 'options.lockTtlMs');
  const waitTimeoutMs = positiveInteger(options.waitTimeoutMs, 60_000, 'options.waitTimeoutMs');
  const pollIntervalMs = positiveInteger(options.pollIntervalMs, 50, 'options.pollIntervalMs');
  const keys = {
    refresh: `${prefix}refresh`,
    stateFence: `${prefix}fence:state`,
    access: `${prefix}access`,
    lock: `${prefix}lock`,
    fence: `${prefix}fence`,
  };

  const readAccess = async (): Promise<SharedAccessToken | undefined> => {
    const text = await run(getScript, [keys.access], []);
    if (typeof text !== 'string') return undefined;
    const parsed = parseJson(text) as Partial<SharedAccessToken> | undefined;
    return typeof parsed?.accessToken === 'string' && typeof parsed.expiresAt === 'number'
      ? { accessToken: parsed.accessToken, expiresAt: parsed.expiresAt }
      : undefined;
  };

  const fenced = async (owner: string, fence: number, operation: 'save' | 'clear' | 'publish', value = '', ttlMs = 1) => {
    const done = await run(fencedScript, [keys.lock, keys.stateFence, keys.refresh, keys.access], [owner, fence, operation, value, ttlMs]);
    if (done !== 1) {
      throw new McapiError(
        'ERR_STORE_LOCK_LOST',
        `This replica's refresh lock expired before it could store the result (it held it longer than lockTtlMs = ${lockTtlMs} ms); raise lockTtlMs above the token endpoint's response time.`,
      );
    }
  };

  return {
    async load() {
      const text = await run(getScript, [keys.refresh], []);
      if (typeof text !== 'string') return undefined;
      const record = parseJson(text) as Partial<StoredRefreshToken> | undefined;
      if (typeof record?.refreshToken !== 'string' || typeof record.expiresAt !== 'number') {
        throw new McapiError('ERR_OAUTH2_TOKEN', `The refresh token in Redis (${keys.refresh}) has an unexpected shape; delete it and log in again.`);
      }
      return { refreshToken: record.refreshToken, expiresAt: record.expiresAt };
    },
    async save(token) {
      await run(unfencedScript, [keys.fence, keys.stateFence, keys.refresh, keys.access], ['save', serialize(token)]);
    },
    async clear() {
      await run(unfencedScript, [keys.fence, keys.stateFence, keys.refresh, keys.access], ['clear', '']);
    },
    async coordinateRefresh({ isFresh, refresh }: CoordinateRefreshOptions) {
      const owner = randomUUID();
      const deadline = Date.now() + waitTimeoutMs;
      for (;;) {
        const published = await readAccess();
        if (published !== undefined && isFresh(published)) return published;
        const fence = Number(await run(acquireScript, [keys.lock, keys.fence], [owner, lockTtlMs]));
        if (fence > 0) {
          try {
            // Another replica may have published between the read and the lock.
            const again = await readAccess();
            if (again !== undefined && isFresh(again)) return again;
            const token = await refresh({
              save: (stored) => fenced(owner, fence, 'save', serialize(stored)),
              clear: () => fenced(owner, fence, 'clear'),
            });
            const ttlMs = Math.max(1, Math.floor(token.expiresAt - Date.now()));
            await fenced(owner, fence, 'publish', JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt }), ttlMs);
            return token;
          } finally {
            await run(releaseScript, [keys.lock], [owner]).catch(() => undefined);
          }
        }
        if (Date.now() >= deadline) {
          throw new McapiError(
            'ERR_STORE_LOCK_TIMEOUT',
            `Waited ${waitTimeoutMs} ms for another replica's token refresh; check the token endpoint and the replica holding ${keys.lock}.`,
          );
        }
        await sleep(pollIntervalMs);
      }
    },
  };
}

function serialize(token: StoredRefreshToken): string {
  return JSON.stringify({ refreshToken: token.refreshToken, expiresAt: token.expiresAt });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 1) throw new McapiError('ERR_INVALID_OPTION', `${option} must be a positive integer.`);
  return result;
}
