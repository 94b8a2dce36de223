import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { McapiError, isMcapiError } from '@mcapi/errors';
import { withFileLock, writeFileAtomic } from '@mcapi/keys';

/** What an authorization-code client persists: the long-lived refresh token and its expiry. */
export interface StoredRefreshToken {
  refreshToken: string;
  /** Expiry in ms since the epoch (90 days for Cross-Border balances unless the server says). */
  expiresAt: number;
}

/** Persistence of the refresh token; implement it over a secrets manager for servers. */
export interface RefreshTokenStore {
  load(): Promise<StoredRefreshToken | undefined>;
  save(token: StoredRefreshToken): Promise<void>;
  clear(): Promise<void>;
  /**
   * Runs `task` exclusively among every process that shares this store. The client refreshes
   * inside it (load, token request, save), so two replicas never spend the same refresh token:
   * Mastercard rotates it on use, and the loser's `invalid_grant` would log everyone out.
   * Optional; without it, refreshes are serialised within one process only.
   */
  exclusive?<T>(task: () => Promise<T>): Promise<T>;
}

/** How long a refresh waits for another process's refresh (one token request) to finish. */
const refreshLockTimeoutMs = 30_000;

/**
 * A {@link RefreshTokenStore} in one JSON file, written atomically (temp file, fsync, rename) with
 * mode 0600 by `writeFileAtomic` from `@mcapi/keys`. Processes on one host (or one shared
 * volume) that use the same file refresh one at a time under `<path>.lock` (`withFileLock` from
 * `@mcapi/keys`; a lock left by a killed process is taken over). Replicas on several hosts need a
 * shared store instead (a `RefreshTokenStore` over Redis or a secrets manager, with `exclusive`).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the path is empty; (`load`) `ERR_OAUTH2_TOKEN` when the file cannot be read or is not a token record (its content is never quoted); (`exclusive`) `ERR_OAUTH2_TOKEN` when another process holds the refresh lock past its timeout.
 *
 * @example
 * ```ts
 * const store = createFileRefreshTokenStore('/var/lib/myapp/mastercard-refresh-token.json');
 * ```
 */
export function createFileRefreshTokenStore(path: string): RefreshTokenStore {
  if (typeof path !== 'string' || path === '') throw new McapiError('ERR_INVALID_OPTION', 'The refresh token store needs a file path.');
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new McapiError('ERR_OAUTH2_TOKEN', `Cannot read the refresh token file ${path}; check its permissions.`, { cause });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new McapiError('ERR_OAUTH2_TOKEN', `The refresh token file ${path} is not valid JSON; delete it and log in again.`, { cause });
      }
      const record = parsed as Partial<StoredRefreshToken>;
      if (typeof record?.refreshToken !== 'string' || typeof record.expiresAt !== 'number') {
        throw new McapiError('ERR_OAUTH2_TOKEN', `The refresh token file ${path} has an unexpected shape; delete it and log in again.`);
      }
      return { refreshToken: record.refreshToken, expiresAt: record.expiresAt };
    },
    async save(token) {
      await writeFileAtomic(path, `${JSON.stringify({ refreshToken: token.refreshToken, expiresAt: token.expiresAt })}\n`, {
        mode: 0o600,
        overwrite: true,
      });
    },
    async clear() {
      await rm(path, { force: true });
    },
    async exclusive(task) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const lock = `${path}.lock`;
      let started = false;
      try {
        return await withFileLock(
          lock,
          () => {
            started = true;
            return task();
          },
          { timeoutMs: refreshLockTimeoutMs },
        );
      } catch (cause) {
        if (started || !isMcapiError(cause, 'ERR_KEYRING_LOCKED')) throw cause;
        throw new McapiError('ERR_OAUTH2_TOKEN', `Another process has been refreshing the token in ${path} for ${refreshLockTimeoutMs / 1000} s (lock ${lock}); try again, or delete the lock if no process is running.`, {
          cause,
        });
      }
    },
  };
}
