// Eight replicas (worker processes) share one balances login through Redis: each forced access
// token expiry is refreshed by exactly one of them at the sandbox's token endpoint, the others use
// its result; a replica killed while holding the refresh lock does not log anyone out.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAuthorizationCodeClient, createFapi2Client, createPkce, createRedisFapi2TokenCache, createRedisRefreshTokenStore } from '@mcapi/auth';
import { type RedisServer, serviceAvailable, startRedis } from '@mcapi/test-services';
import { Redis } from 'ioredis';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { call, fetchVia } from './oauth2-helpers.js';

const haveRedis = serviceAvailable({ command: 'redis-server', versionArgs: ['--version'], aptPackage: 'redis-server' });
const replicaScript = fileURLToPath(new URL('./fixtures/refresh-replica.mjs', import.meta.url));
const redirectUri = 'https://app.example/callback';
const minutes = (n: number) => n * 60_000;

interface Replica {
  child: ChildProcess;
  send(message: object): void;
  next(type: string): Promise<Record<string, unknown>>;
}

function startReplica(init: object): Promise<Replica> {
  // execArgv: [] — not vitest's (its --conditions would resolve @mcapi/auth to TypeScript sources).
  const child = fork(replicaScript, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: Record<string, unknown>[] = [];
  const waiting: { type: string; resolve: (message: Record<string, unknown>) => void }[] = [];
  child.on('message', (message: Record<string, unknown>) => {
    const index = waiting.findIndex((entry) => entry.type === message.type);
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(message);
    else inbox.push(message);
  });
  const replica: Replica = {
    child,
    send: (message) => child.send(message),
    next: (type) =>
      new Promise((resolve) => {
        const index = inbox.findIndex((message) => message.type === type);
        if (index >= 0) resolve(inbox.splice(index, 1)[0]!);
        else waiting.push({ type, resolve });
      }),
  };
  replica.send({ type: 'init', ...init });
  return replica.next('ready').then(() => replica);
}

describe.skipIf(!haveRedis)('N replicas share one refresh token through Redis', () => {
  let redisServer: RedisServer;
  let sandbox: Sandbox;
  let agent: Agent;
  let init: Record<string, unknown>;
  const replicas: Replica[] = [];

  const refreshesSince = (mark: number) =>
    sandbox.oauth2
      .tokenLog()
      .slice(mark)
      .filter((entry) => entry.grant === 'refresh_token');

  beforeAll(async () => {
    redisServer = await startRedis();
    sandbox = await startSandbox();
    agent = new Agent({ connect: { ca: sandbox.caCertificate } });
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const registered = sandbox.oauth2.registerClient({ publicKey: createPublicKey(key), redirectUris: [redirectUri], withSecret: true, project: 'balances' });
    init = {
      redisUrl: redisServer.url,
      prefix: 'mcapi:test:balances:',
      lockTtlMs: 5_000,
      tokenEndpoint: sandbox.oauth2.tokenEndpoint,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      redirectUri,
      ca: sandbox.caCertificate,
    };
    // The one login, by a person, through any replica: its refresh token lands in Redis.
    // Ready before first use: with no offline queue, a command sent while the connection is being
    // made (or remade, after a first attempt failed under load: "Stream isn't writeable") fails.
    // ioredis reconnects by itself; its errors until then are expected.
    const redis = new Redis(redisServer.url, { enableOfflineQueue: false });
    redis.on('error', () => undefined);
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve)); // not once(): it rejects on 'error'
    try {
      const login = createAuthorizationCodeClient({
        tokenEndpoint: sandbox.oauth2.tokenEndpoint,
        clientId: registered.clientId,
        clientSecret: registered.clientSecret!,
        redirectUri,
        store: createRedisRefreshTokenStore({ client: redis, prefix: 'mcapi:test:balances:' }),
        fetch: fetchVia(agent),
      });
      const pkce = createPkce();
      const authorize = new URL(sandbox.oauth2.authorizationEndpoint);
      for (const [name, value] of Object.entries({ response_type: 'code', client_id: registered.clientId, redirect_uri: redirectUri, code_challenge: pkce.codeChallenge, code_challenge_method: 'S256', state: 's' })) {
        authorize.searchParams.set(name, value);
      }
      const redirect = new URL((await call(agent, authorize.toString())).headers.location as string);
      await login.exchangeCode({ code: redirect.searchParams.get('code')!, codeVerifier: pkce.codeVerifier });
    } finally {
      redis.disconnect();
    }
    replicas.push(...(await Promise.all(Array.from({ length: 8 }, () => startReplica(init)))));
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await agent?.close();
    await sandbox?.close();
    await redisServer?.stop();
  });

  async function round(skewMs: number): Promise<{ tokens: Set<string>; errors: string[] }> {
    for (const replica of replicas) replica.send({ type: 'round', skewMs, count: 50 });
    const done = await Promise.all(replicas.map((replica) => replica.next('done')));
    return {
      tokens: new Set(done.flatMap((message) => message.tokens as string[])),
      errors: done.flatMap((message) => message.errors as string[]),
    };
  }

  it('8 processes × 50 concurrent getAccessToken() across 3 forced expiries: one refresh per expiry, nobody logged out', async () => {
    // Round 0 picks up the login; rounds 1–3 each move every replica's clock past the 15-minute
    // access token lifetime.
    for (const skewMs of [0, minutes(16), minutes(32), minutes(48)]) {
      const mark = sandbox.oauth2.tokenLog().length;
      const { tokens, errors } = await round(skewMs);
      expect(errors).toEqual([]);
      expect(tokens.size).toBe(1);
      expect(refreshesSince(mark).map((entry) => [entry.status, entry.outcome])).toEqual([[200, 'issued']]);
    }
  }, 120_000);

  it('a replica killed while holding the refresh lock: another replica completes the refresh after the lock expires', async () => {
    const staller = await startReplica({ ...init, stall: true });
    const mark = sandbox.oauth2.tokenLog().length;
    staller.send({ type: 'round', skewMs: minutes(64), count: 1 });
    await staller.next('stalled'); // it holds the lock and its token request never returns
    const results = round(minutes(64)); // the others find the lock taken and wait
    staller.child.kill('SIGKILL');
    await once(staller.child, 'exit');
    const { tokens, errors } = await results;
    expect(errors).toEqual([]);
    expect(tokens.size).toBe(1);
    expect(refreshesSince(mark).map((entry) => [entry.status, entry.outcome])).toEqual([[200, 'issued']]);
  }, 60_000);

  it('FAPI 2.0: replicas holding one DPoP key share a token through the Redis cache (one per scope set)', async () => {
    const redis = new Redis(redisServer.url, { enableOfflineQueue: false });
    redis.on('error', () => undefined);
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve)); // not once(): it rejects on 'error'
    try {
      const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const { clientId, kid } = sandbox.oauth2.registerClient({ publicKey: createPublicKey(signingKey), redirectUris: [redirectUri] });
      const replica = () =>
        createFapi2Client({
          clientId,
          kid,
          signingKey,
          dpopKey,
          issuer: sandbox.oauth2.issuer,
          tokenEndpoint: sandbox.oauth2.tokenEndpoint,
          fetch: fetchVia(agent),
          tokenCache: createRedisFapi2TokenCache({ client: redis, prefix: 'mcapi:test:fapi2:' }),
        });
      const issued = () => sandbox.oauth2.tokenLog().filter((entry) => entry.grant === 'client_credentials' && entry.outcome === 'issued').length;
      const before = issued();
      const first = await replica().getToken(['payments']);
      const second = await replica().getToken(['payments']);
      expect(second.accessToken).toBe(first.accessToken);
      expect(issued() - before).toBe(1);
      // Another scope set, or another DPoP key, is another token.
      expect((await replica().getToken(['payments', 'balances'])).accessToken).not.toBe(first.accessToken);
      expect(issued() - before).toBe(2);
    } finally {
      redis.disconnect();
    }
  });

  it('Redis stopped: getAccessToken fails with ERR_STORE_UNAVAILABLE, no silent refresh from memory', async () => {
    const mark = sandbox.oauth2.tokenLog().length;
    await redisServer.stop();
    const { tokens, errors } = await round(minutes(80));
    expect(tokens.size).toBe(0);
    expect(new Set(errors)).toEqual(new Set(['ERR_STORE_UNAVAILABLE']));
    expect(refreshesSince(mark)).toEqual([]);
  }, 60_000);
});
