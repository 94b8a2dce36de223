// Shared state in Redis against memory: OAuth 1.0a nonce claims/s and the refresh-token store's
// fast path (a published access token read by a replica). A report, not a target: the cost is one
// loopback round trip per operation.
import { spawnSync } from 'node:child_process';
import { createMemoryNonceStore, createRedisNonceStore, createRedisRefreshTokenStore } from '@mcapi/auth';
import { startRedis } from '@mcapi/test-services';
import { Redis } from 'ioredis';
import { type Suite, compare, ratioLines } from '../harness.js';

export const suite: Suite = {
  name: 'redis: shared stores vs memory',
  async run() {
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
      return { measurements: [], lines: ['skipped: redis-server is not installed (apt-get install -y redis-server)'], missed: [] };
    }
    const server = await startRedis();
    const client = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    try {
      let n = 0;
      // Every claim stays inside its 5-minute window for the whole suite: room for all of them, so
      // the memory store measures claims, not its full-store refusal (the default holds 100,000).
      const memory = createMemoryNonceStore({ maxEntries: 50_000_000 });
      const redis = createRedisNonceStore({ client, prefix: 'bench:nonce:' });
      const refresh = createRedisRefreshTokenStore({ client, prefix: 'bench:refresh:' });
      await refresh.save({ refreshToken: 'r', expiresAt: Date.now() + 86_400_000 });
      // Publish once; afterwards every coordinateRefresh is the replicas' read path.
      await refresh.coordinateRefresh({ isFresh: () => false, refresh: async () => ({ accessToken: 'a', expiresAt: Date.now() + 900_000 }) });
      const measurements = await compare([
        { name: 'memory nonce claim', run: () => memory.claim(`n${n++}`, 300_000) },
        { name: 'redis nonce claim', run: () => redis.claim(`n${n++}`, 300_000) },
        { name: 'redis published access token read', run: () => refresh.coordinateRefresh({ isFresh: () => true, refresh: async () => ({ accessToken: 'x', expiresAt: 0 }) }) },
      ]);
      return { measurements, lines: ratioLines(measurements, 'memory nonce claim'), missed: [] };
    } finally {
      client.disconnect();
      await server.stop();
    }
  },
};
