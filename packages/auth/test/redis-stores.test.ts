// The Redis stores against a real redis-server started on a random loopback port.
import { createRedisFapi2TokenCache, createRedisNonceStore, createRedisRefreshTokenStore, type SharedAccessToken } from '@mcapi/auth';
import { type RedisServer, serviceAvailable, startRedis } from '@mcapi/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const haveRedis = serviceAvailable({ command: 'redis-server', versionArgs: ['--version'], aptPackage: 'redis-server' });

describe.skipIf(!haveRedis)('Redis stores', () => {
  let server: RedisServer;
  let redis: Redis;
  let run = 0;
  const prefix = () => `t${++run}:`;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('nonce store: the first claim wins across clients, and the entry lives exactly its window', async () => {
    const other = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
    await other.connect();
    try {
      const p = prefix();
      const one = createRedisNonceStore({ client: redis, prefix: p });
      const two = createRedisNonceStore({ client: other, prefix: p });
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).claim('consumer:nonce-1', 60_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const ttl = await redis.pttl(`${p}consumer:nonce-1`);
      // The window, less the real time since the claim (seconds on a loaded CI machine).
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // A replay entry (a DPoP jti) with a 700 ms window.
      expect(await one.claim('jti-1', 700)).toBe(true);
      expect(await two.claim('jti-1', 700)).toBe(false);
      const jtiTtl = await redis.pttl(`${p}jti-1`);
      expect(jtiTtl).toBeGreaterThan(0);
      expect(jtiTtl).toBeLessThanOrEqual(700);
      // After the window the same value is new again (polled, not slept for a fixed time).
      for (let i = 0; i < 100 && (await redis.exists(`${p}jti-1`)) === 1; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await two.claim('jti-1', 60_000)).toBe(true);
    } finally {
      other.disconnect();
    }
  });

  it('refresh store: concurrent coordinators run one refresh and the others use its published token', async () => {
    const p = prefix();
    const stores = Array.from({ length: 5 }, () => createRedisRefreshTokenStore({ client: redis, prefix: p, pollIntervalMs: 10 }));
    await stores[0]!.save({ refreshToken: 'rt-0', expiresAt: Date.now() + 86_400_000 });
    let refreshes = 0;
    const results = await Promise.all(
      stores.flatMap((store) =>
        Array.from({ length: 4 }, () =>
          store.coordinateRefresh({
            isFresh: (token) => token.expiresAt > Date.now(),
            refresh: async (commit) => {
              refreshes++;
              await new Promise((r) => setTimeout(r, 50));
              await commit.save({ refreshToken: `rt-${refreshes}`, expiresAt: Date.now() + 86_400_000 });
              return { accessToken: `at-${refreshes}`, expiresAt: Date.now() + 900_000 };
            },
          }),
        ),
      ),
    );
    expect(refreshes).toBe(1);
    expect(new Set(results.map((token: SharedAccessToken) => token.accessToken))).toEqual(new Set(['at-1']));
    expect(await stores[3]!.load()).toMatchObject({ refreshToken: 'rt-1' });
  });

  it('refresh store: a holder whose lock expired cannot overwrite the newer refresh token (fencing)', async () => {
    const p = prefix();
    const slow = createRedisRefreshTokenStore({ client: redis, prefix: p, lockTtlMs: 100, pollIntervalMs: 10 });
    const fast = createRedisRefreshTokenStore({ client: redis, prefix: p, lockTtlMs: 5_000, pollIntervalMs: 10 });
    await slow.save({ refreshToken: 'rt-0', expiresAt: Date.now() + 86_400_000 });
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stale = slow.coordinateRefresh({
      isFresh: () => false,
      refresh: async (commit) => {
        await stalled; // paused past its 100 ms lock (a GC pause, a stuck socket)
        await commit.save({ refreshToken: 'rt-stale', expiresAt: Date.now() + 86_400_000 });
        return { accessToken: 'at-stale', expiresAt: Date.now() + 900_000 };
      },
    });
    await new Promise((r) => setTimeout(r, 150));
    await fast.coordinateRefresh({
      isFresh: (token) => token.accessToken === 'at-new',
      refresh: async (commit) => {
        await commit.save({ refreshToken: 'rt-new', expiresAt: Date.now() + 86_400_000 });
        return { accessToken: 'at-new', expiresAt: Date.now() + 900_000 };
      },
    });
    release();
    await expect(stale).rejects.toMatchObject({ code: 'ERR_STORE_LOCK_LOST' });
    expect(await fast.load()).toMatchObject({ refreshToken: 'rt-new' });
  });

  it('FAPI 2.0 token cache: an entry lives until the token expires', async () => {
    const p = prefix();
    const cache = createRedisFapi2TokenCache({ client: redis, prefix: p, now: () => 1_000_000 });
    await cache.set('client jkt payments', { accessToken: 'a', tokenType: 'DPoP', expiresAt: 1_900_000, scopes: ['payments'] });
    expect(await cache.get('client jkt payments')).toMatchObject({ accessToken: 'a', scopes: ['payments'] });
    const ttl = await redis.pttl(`${p}client jkt payments`);
    expect(ttl).toBeGreaterThan(890_000); // 900 s by the injected clock, less the real time since
    expect(ttl).toBeLessThanOrEqual(900_000);
    expect(await cache.get('other')).toBeUndefined();
  });

  it('Redis stopped: every store fails closed with ERR_STORE_UNAVAILABLE and no token in the error', async () => {
    const own = await startRedis();
    const client = new Redis(own.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => 200 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const nonces = createRedisNonceStore({ client, commandTimeoutMs: 500 });
      const refresh = createRedisRefreshTokenStore({ client, commandTimeoutMs: 500 });
      await refresh.save({ refreshToken: 'secret-refresh-token', expiresAt: Date.now() + 86_400_000 });
      await own.stop();
      await expect(nonces.claim('n', 1000)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      const error = await refresh.save({ refreshToken: 'secret-refresh-token', expiresAt: 1 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      const { inspect } = await import('node:util');
      expect(inspect(error, { depth: 10 })).not.toContain('secret-refresh-token');
      await expect(
        refresh.coordinateRefresh({ isFresh: () => false, refresh: async () => ({ accessToken: 'x', expiresAt: Date.now() + 1000 }) }),
      ).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
