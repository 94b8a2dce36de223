import { resolve } from 'node:path';

/** Where a keyring lives when no directory is given. */
export const defaultKeyringDir = './.mcapi/keyring';

/** Result of {@link keyringLocation}. */
export interface KeyringLocation {
  /** Absolute directory. */
  dir: string;
  /** True when `--keyring` or `MCAPI_KEYRING` named it (false: the default was taken). */
  given: boolean;
}

/**
 * The keyring directory every mcapi CLI uses: the explicit option (`--keyring`), else
 * `MCAPI_KEYRING`, else `./.mcapi/keyring`, resolved against the working directory.
 *
 * @example
 * ```ts
 * const { dir } = keyringLocation(text(values, 'keyring'), process.env); // honours MCAPI_KEYRING
 * ```
 */
export function keyringLocation(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): KeyringLocation {
  const named = explicit ?? (env.MCAPI_KEYRING !== undefined && env.MCAPI_KEYRING !== '' ? env.MCAPI_KEYRING : undefined);
  return { dir: resolve(named ?? defaultKeyringDir), given: named !== undefined };
}
