import { runCommandLine } from '@mcapi/cli-kit';
import { jsonOutput } from '../output/json-output.js';
import { mcapiProgram } from './program.js';

/** Streams, environment and clock of a CLI run (injectable for tests). */
export interface RunCliOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

/**
 * Runs `mcapi` with the given arguments and returns the exit code. stdout gets only the result
 * (only JSON with `--json`); the `-v` trace, status lines, warnings and errors go to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  return runCommandLine(argv, {
    ...mcapiProgram,
    stdout: options.stdout ?? process.stdout,
    stderr,
    formatJson: jsonOutput,
    context: (parsed) => ({
      ...parsed,
      verbose: parsed.values.verbose === true,
      env: options.env ?? process.env,
      stdin: options.stdin ?? process.stdin,
      stderr,
      now: options.now ?? Date.now,
    }),
  });
}
