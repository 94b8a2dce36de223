import { McapiError } from '@mcapi/errors';

/**
 * The one Redis command mcapi's stores send: `EVAL script numkeys key… arg…`. An `ioredis` client
 * fits as is; for `redis` (node-redis) pass
 * `{ eval: (script, n, ...rest) => client.eval(script, { keys: rest.slice(0, n), arguments: rest.slice(n) }) }`.
 * Every store operation is one Lua script, so each is atomic on the server.
 */
export interface RedisLike {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/** Options shared by the Redis stores. */
export interface RedisStoreOptions {
  /**
   * A connected client. Create it with `enableOfflineQueue: false` (ioredis) so a command fails at
   * once while Redis is down instead of waiting in a queue.
   */
  client: RedisLike;
  /** Key prefix, e.g. `mcapi:prod:balances:`. Default `mcapi:`. */
  prefix?: string;
  /** A command that has not answered after this long fails with `ERR_STORE_UNAVAILABLE`. Default 2000. */
  commandTimeoutMs?: number;
}

/** One checked connection: runs a script with a deadline and maps every failure to one typed error. */
export type RedisRunner = (script: string, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export function checkRedisOptions(options: RedisStoreOptions, factory: string): { run: RedisRunner; prefix: string } {
  if (typeof options !== 'object' || options === null || typeof options.client?.eval !== 'function') {
    throw new McapiError('ERR_INVALID_OPTION', `${factory} needs options { client } with a Redis client (ioredis, or an object with eval).`);
  }
  const prefix = options.prefix ?? 'mcapi:';
  if (typeof prefix !== 'string') throw new McapiError('ERR_INVALID_OPTION', 'options.prefix must be a string.');
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new McapiError('ERR_INVALID_OPTION', 'options.commandTimeoutMs must be a positive integer.');
  const client = options.client;
  const run: RedisRunner = (script, keys, args) =>
    new Promise((resolve, reject) => {
      // Fail closed: a store that cannot answer is an error, never "no entry" (that would let a
      // replay through or start a second refresh).
      const unavailable = (cause?: unknown) =>
        new McapiError(
          'ERR_STORE_UNAVAILABLE',
          `Redis did not answer within ${timeoutMs} ms or refused the command; check that Redis is reachable from this replica.`,
          cause === undefined ? undefined : { cause: sanitized(cause) },
        );
      const timer = setTimeout(() => reject(unavailable()), timeoutMs);
      let pending: Promise<unknown>;
      try {
        pending = client.eval(script, keys.length, ...keys, ...args);
      } catch (cause) {
        clearTimeout(timer);
        reject(unavailable(cause));
        return;
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (cause: unknown) => {
          clearTimeout(timer);
          reject(unavailable(cause));
        },
      );
    });
  return { run, prefix };
}

// Client errors may carry the command and its arguments (ioredis sets `command.args`), which hold
// refresh and access tokens: only the message travels on.
function sanitized(cause: unknown): Error {
  return new Error(cause instanceof Error ? cause.message : 'the Redis client failed');
}
