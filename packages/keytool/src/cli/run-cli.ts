import { keyringLocation, runCommandLine, text } from '@mcapi/cli-kit';
import { createCliContext } from './cli-context.js';
import { keytoolProgram } from './program.js';
import { withKeyringHint } from './keyring-hint.js';

/** Streams and environment of a CLI run (injectable for tests). */
export interface RunCliOptions {
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `mcapi-keytool` with the given arguments and returns the exit code. stdout gets only the
 * result (only JSON with `--json`); prompts, spinner, warnings and errors go to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const env = options.env ?? process.env;
  return runCommandLine(argv, {
    ...keytoolProgram,
    stdout: options.stdout ?? process.stdout,
    stderr,
    context: ({ values, positionals, json }) =>
      createCliContext({
        values,
        positionals,
        keyring: keyringLocation(text(values, 'keyring'), env).dir,
        json,
        interactive: values['non-interactive'] !== true && stdin.isTTY === true,
        env,
        io: { stdin, stderr },
        warn: (message) => stderr.write(`warning: ${message}\n`),
      }),
    async execute(spec, context) {
      const output = await spec.run(context).catch((error: unknown) => {
        throw withKeyringHint(error, context.keyring);
      });
      // Warnings about the outcome are printed only once the command succeeded.
      for (const warning of context.outcomeWarnings) context.warn(warning);
      return output;
    },
  });
}
