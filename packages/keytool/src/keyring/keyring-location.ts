import { resolve } from 'node:path';

/** Where a keyring lives when no directory is given. */
export const defaultKeyringDir = './.mcapi/keyring';

/**
 * The keyring directory: the explicit option (`--keyring`), else `MCAPI_KEYRING`, else
 * `./.mcapi/keyring`, resolved against the working directory.
 *
 * @example
 * ```ts
 * const dir = resolveKeyringDir(undefined, process.env); // honours MCAPI_KEYRING
 * ```
 */
export function resolveKeyringDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? (env.MCAPI_KEYRING !== undefined && env.MCAPI_KEYRING !== '' ? env.MCAPI_KEYRING : defaultKeyringDir);
  return resolve(chosen);
}
