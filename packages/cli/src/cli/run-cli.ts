import { type ParseArgsConfig, parseArgs } from 'node:util';
import { McapiError, isMcapiError, redactText } from '@mcapi/errors';
import { jsonOutput } from '../output/json-output.js';
import type { ParsedValues } from './command-spec.js';
import { commandSpecs } from './command-specs.js';
import { exitCodes } from './exit-codes.js';
import { commandHelp, generalHelp } from './help.js';

/** Streams, environment and clock of a CLI run (injectable for tests). */
export interface RunCliOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const globalOptions: NonNullable<ParseArgsConfig['options']> = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

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
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = argv.includes('--json');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(`${generalHelp(commandSpecs)}\n`);
      return name === undefined ? exitCodes.usage : exitCodes.ok;
    }
    const spec = commandSpecs.find((candidate) => candidate.name === name);
    if (spec === undefined) {
      throw new McapiError('ERR_CLI_USAGE', `Unknown command "${name}". Commands: ${commandSpecs.map((candidate) => candidate.name).join(', ')}. See: mcapi --help`);
    }
    const parsed = parseCommandLine(spec.name, rest, { ...globalOptions, ...(spec.options as NonNullable<ParseArgsConfig['options']>) });
    if (parsed.values.help === true) {
      stdout.write(`${commandHelp(spec)}\n`);
      return exitCodes.ok;
    }
    if (parsed.positionals.length < spec.positionals.min || parsed.positionals.length > spec.positionals.max) {
      throw new McapiError(
        'ERR_CLI_USAGE',
        spec.positionals.max === 0
          ? `${spec.name} takes no positional arguments (got ${parsed.positionals.join(' ')}). See: mcapi ${spec.name} --help`
          : `${spec.name} takes ${spec.positionals.names}. Usage: mcapi ${spec.usage}`,
      );
    }
    const output = await spec.run({
      values: parsed.values,
      positionals: parsed.positionals,
      json,
      verbose: parsed.values.verbose === true,
      env: options.env ?? process.env,
      stdin: options.stdin ?? process.stdin,
      stderr,
      now: options.now ?? Date.now,
    });
    stdout.write(json ? `${jsonOutput(output.json)}\n` : `${output.text}\n`);
    return output.exitCode ?? exitCodes.ok;
  } catch (error) {
    return reportError(error, json, stdout, stderr);
  }
}

function parseCommandLine(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  // Secrets are refused by name before parsing, whether or not the command knows the option:
  // a passphrase typed on the command line is already in `ps` and the shell history.
  const secretFlag = args.find((arg) => /^--([a-z0-9-]*-)?(passphrase|password|secret)(=|$)/.test(arg));
  if (secretFlag !== undefined) {
    throw new McapiError(
      'ERR_CLI_USAGE',
      'Passphrases are never taken as command-line values (other users see them in ps, and shells keep them in history). Use --passphrase-file FILE or --passphrase-env VAR (--key-passphrase-file / --key-passphrase-env for key files).',
    );
  }
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new McapiError('ERR_CLI_USAGE', `${message.replace(/\. To specify a positional argument.*$/s, '')}. See: mcapi ${command} --help`, { cause });
  }
}

function reportError(error: unknown, json: boolean, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  const code = isMcapiError(error) ? error.code : 'ERR_UNEXPECTED';
  // Messages of McapiError never carry secrets; anything else is redacted before it is shown.
  const message = isMcapiError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
  const exitCode =
    typeof (error as { exitCode?: unknown }).exitCode === 'number'
      ? (error as { exitCode: number }).exitCode
      : code === 'ERR_CLI_USAGE'
        ? exitCodes.usage
        : exitCodes.failure;
  if (json) stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  stderr.write(`error: ${message} (${code})\n`);
  return exitCode;
}
