import { type ParseArgsConfig, parseArgs } from 'node:util';
import { McapiError, exitCodeOf, isMcapiError, redactText } from '@mcapi/errors';
import { resolveKeyringDir } from '../keyring/keyring-location.js';
import { type ParsedValues, createCliContext } from './cli-context.js';
import { commandSpecs } from './command-specs.js';
import { exitCodes } from './exit-codes.js';
import { commandHelp, generalHelp } from './help.js';
import { withKeyringHint } from './keyring-hint.js';

/** Streams and environment of a CLI run (injectable for tests). */
export interface RunCliOptions {
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  env?: NodeJS.ProcessEnv;
}

const globalOptions: NonNullable<ParseArgsConfig['options']> = {
  keyring: { type: 'string' },
  json: { type: 'boolean' },
  'non-interactive': { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  'passphrase-env': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

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
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const env = options.env ?? process.env;
  const json = argv.includes('--json');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(`${generalHelp(commandSpecs)}\n`);
      return name === undefined ? exitCodes.usage : exitCodes.ok;
    }
    const spec = commandSpecs.find((candidate) => candidate.name === name);
    if (spec === undefined) {
      throw new McapiError('ERR_CLI_USAGE', `Unknown command "${name}". Commands: ${commandSpecs.map((candidate) => candidate.name).join(', ')}. See: mcapi-keytool --help`);
    }
    const parsed = parseCommandLine(spec.name, rest, { ...globalOptions, ...spec.options });
    if (parsed.values.help === true) {
      stdout.write(`${commandHelp(spec)}\n`);
      return exitCodes.ok;
    }
    if (parsed.positionals.length < spec.positionals.min || parsed.positionals.length > spec.positionals.max) {
      throw new McapiError(
        'ERR_CLI_USAGE',
        spec.positionals.max === 0
          ? `${spec.name} takes no positional arguments (got ${parsed.positionals.join(' ')}). See: mcapi-keytool ${spec.name} --help`
          : `${spec.name} needs ${spec.positionals.names}. Usage: mcapi-keytool ${spec.usage}`,
      );
    }
    const context = createCliContext({
      values: parsed.values,
      positionals: parsed.positionals,
      keyring: resolveKeyringDir(typeof parsed.values.keyring === 'string' ? parsed.values.keyring : undefined, env),
      json,
      interactive: parsed.values['non-interactive'] !== true && stdin.isTTY === true,
      env,
      io: { stdin, stderr },
      warn: (message) => stderr.write(`warning: ${message}\n`),
    });
    const output = await spec.run(context).catch((error: unknown) => {
      throw withKeyringHint(error, context.keyring);
    });
    for (const warning of context.outcomeWarnings) context.warn(warning);
    stdout.write(json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return output.exitCode ?? exitCodes.ok;
  } catch (error) {
    return reportError(error, json, stdout, stderr);
  }
}

function parseCommandLine(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const secretFlag = args.find((arg) => /^--(p12-)?(passphrase|password)(=|$)/.test(arg));
    if (secretFlag !== undefined) {
      throw new McapiError(
        'ERR_CLI_USAGE',
        'Passphrases are never taken as command-line values (other users see them in ps, and shells keep them in history). Use the prompt, --passphrase-file FILE or --passphrase-env VAR (--p12-passphrase-file / --p12-passphrase-env for PKCS#12).',
      );
    }
    throw new McapiError('ERR_CLI_USAGE', `${message.replace(/\. To specify a positional argument.*$/s, '')}. See: mcapi-keytool ${command} --help`, { cause });
  }
}

function reportError(error: unknown, json: boolean, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): number {
  const code = isMcapiError(error) ? error.code : 'ERR_UNEXPECTED';
  // Messages of McapiError never carry secrets; anything else is redacted before it is shown.
  const message = isMcapiError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
  const exitCode = typeof (error as { exitCode?: unknown }).exitCode === 'number' ? (error as { exitCode: number }).exitCode : exitCodeOf(error);
  if (json) stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  stderr.write(`error: ${message} (${code})\n`);
  return exitCode;
}
