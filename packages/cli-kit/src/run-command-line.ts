import { type ParseArgsConfig, parseArgs } from 'node:util';
import { McapiError, exitCodeOf, exitCodes, isMcapiError, redactText } from '@mcapi/errors';
import type { CommandOutput, CommandSpec, ParsedValues } from './command-spec.js';
import { attachDashValues } from './dash-values.js';
import { type GeneralHelp, type HelpFrame, renderCommandHelp, renderGeneralHelp } from './help.js';

/** parseArgs options of the flags every command takes. */
export type GlobalOptions = NonNullable<ParseArgsConfig['options']>;

/** A command line after parsing: what a CLI builds its command context from. */
export interface ParsedCommandLine {
  values: ParsedValues;
  positionals: string[];
  /** `--json` anywhere on the line: only JSON on stdout, errors too. */
  json: boolean;
}

/** What a CLI is: its name and help words, its commands, the flags every command takes. */
export interface CommandLineProgram<C> {
  /** Help frame: program name, options of every command, exit-code lines. */
  frame: HelpFrame;
  /** The general help page's summary, notes and examples. */
  help: GeneralHelp;
  specs: readonly CommandSpec<C>[];
  /** parseArgs options every command takes besides its own and `--json`, `-h`/`--help` (always there). */
  globalOptions?: GlobalOptions;
  /** What to say when a passphrase, password or secret is given as a flag value (name the safe flags). */
  secretFlagMessage: string;
}

/** How one CLI runs its command line (see {@link runCommandLine}). */
export interface CommandLineOptions<C> extends CommandLineProgram<C> {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The command's context, from the parsed line. */
  context(parsed: ParsedCommandLine): C;
  /** Runs the command; default `spec.run(context)` (a CLI wraps it to add hints or warnings). */
  execute?(spec: CommandSpec<C>, context: C): Promise<CommandOutput>;
  /** The JSON text of a result on stdout; default `JSON.stringify(json, null, 2)`. */
  formatJson?(json: unknown): string;
}

// Every mcapi CLI takes these, before any command's own.
const ALWAYS: GlobalOptions = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

// A flag that names a secret and takes it as its value (`--passphrase x`, `--key-password=x`);
// `--passphrase-file` and `--passphrase-env` do not match.
const SECRET_FLAG = /^--([a-z0-9-]*-)?(passphrase|password|secret)(=|$)/;

/**
 * Runs one command line of an mcapi CLI and returns its exit code: general and command help,
 * unknown commands, secrets typed as flag values (refused before parsing, known option or not),
 * strict parsing (a string option's value may begin with a dash), positional counts, then the
 * command. stdout gets only the result (only JSON with `--json`); an error goes to stderr as
 * `error: <message> (<code>)` (and to stdout as `{"error":{code,message}}` with `--json`), a
 * non-McapiError message redacted. Exit codes are the shared table: `ERR_CLI_USAGE` 64, other
 * failures 2, or the error's own `exitCode`.
 *
 * @example
 * ```ts
 * process.exitCode = await runCommandLine(process.argv.slice(2), { ...program, stdout, stderr, context: (parsed) => parsed });
 * ```
 */
export async function runCommandLine<C>(argv: readonly string[], options: CommandLineOptions<C>): Promise<number> {
  const { frame, specs, stdout } = options;
  const json = argv.includes('--json');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(`${renderGeneralHelp(frame, specs, options.help)}\n`);
      return name === undefined ? exitCodes.usage : exitCodes.ok;
    }
    const spec = specs.find((candidate) => candidate.name === name);
    if (spec === undefined) {
      throw new McapiError('ERR_CLI_USAGE', `Unknown command "${name}". Commands: ${specs.map((candidate) => candidate.name).join(', ')}. See: ${frame.program} --help`);
    }
    if (rest.some((arg) => SECRET_FLAG.test(arg))) throw new McapiError('ERR_CLI_USAGE', options.secretFlagMessage);
    const parsed = parseCommandLine(frame.program, spec.name, rest, { ...ALWAYS, ...options.globalOptions, ...(spec.options as GlobalOptions) });
    if (parsed.values.help === true) {
      stdout.write(`${renderCommandHelp(frame, spec)}\n`);
      return exitCodes.ok;
    }
    checkPositionals(frame.program, spec, parsed.positionals);
    const context = options.context({ ...parsed, json });
    const output = await (options.execute ? options.execute(spec, context) : spec.run(context));
    stdout.write(json ? `${(options.formatJson ?? ((value) => JSON.stringify(value, null, 2)))(output.json)}\n` : `${output.text}\n`);
    return output.exitCode ?? exitCodes.ok;
  } catch (error) {
    return reportError(error, json, stdout, options.stderr);
  }
}

function parseCommandLine(program: string, command: string, args: string[], options: GlobalOptions) {
  try {
    const { values, positionals } = parseArgs({ args: attachDashValues(args, options), options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new McapiError('ERR_CLI_USAGE', `${message.replace(/\. To specify a positional argument.*$/s, '')}. See: ${program} ${command} --help`, { cause });
  }
}

function checkPositionals<C>(program: string, spec: CommandSpec<C>, positionals: string[]): void {
  if (positionals.length >= spec.positionals.min && positionals.length <= spec.positionals.max) return;
  throw new McapiError(
    'ERR_CLI_USAGE',
    spec.positionals.max === 0
      ? `${spec.name} takes no positional arguments (got ${positionals.join(' ')}). See: ${program} ${spec.name} --help`
      : `${spec.name} takes ${spec.positionals.names}. Usage: ${program} ${spec.usage}`,
  );
}

function reportError(error: unknown, json: boolean, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  const code = isMcapiError(error) ? error.code : 'ERR_UNEXPECTED';
  // Messages of McapiError never carry secrets; anything else is redacted before it is shown.
  const message = isMcapiError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
  const own = (error as { exitCode?: unknown } | null)?.exitCode;
  if (json) stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  stderr.write(`error: ${message} (${code})\n`);
  return typeof own === 'number' ? own : exitCodeOf(error);
}
