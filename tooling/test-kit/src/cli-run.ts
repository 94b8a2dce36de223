import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The outcome of one run of a CLI binary. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs); a failure shows both streams. */
  json<T = Record<string, unknown>>(): T;
}

/**
 * A {@link CliRun} from what a child process printed.
 *
 * @example
 * ```ts
 * const result = spawnSync(process.execPath, [binary, 'list', '--json'], { encoding: 'utf8' });
 * const run = cliRun(result.status, result.stdout, result.stderr);
 * ```
 */
export function cliRun(status: number | null, stdout: string, stderr: string): CliRun {
  return {
    status,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${status}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/**
 * A package's committed bin file (it imports `dist/cli.js`, which turbo builds before tests) and a
 * check that the build is there.
 *
 * @example
 * ```ts
 * export const { binary, assertBuilt } = builtBinary(new URL('..', import.meta.url), 'mcapi-keytool');
 * ```
 */
export function builtBinary(packageDir: URL, name: string): { binary: string; assertBuilt(): void } {
  const built = fileURLToPath(new URL('dist/cli.js', packageDir));
  return {
    binary: fileURLToPath(new URL(`bin/${name}.js`, packageDir)),
    assertBuilt() {
      if (!existsSync(built)) throw new Error(`${built} is missing: run "pnpm run build" in ${fileURLToPath(packageDir)} before these tests.`);
    },
  };
}

/**
 * The environment for a CLI child: this one without the developer's keyring and passphrase
 * variables, plus `extra`.
 */
export function cleanCliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MCAPI_KEYRING;
  delete env.MCAPI_KEYRING_PASSPHRASE;
  return { ...env, ...extra };
}
