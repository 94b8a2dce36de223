import type { CommandSpec as SharedCommandSpec, ParsedValues } from '@mcapi/cli-kit';
import { McapiError } from '@mcapi/errors';

// What every command module shares: the context, the spec shape (from @mcapi/cli-kit, shared with
// mcapi-keytool) and the usage error.
export { type CommandOutput, type OptionSpec, type ParsedValues, list, text } from '@mcapi/cli-kit';

/** Everything a command needs besides its spec. */
export interface CommandContext {
  values: ParsedValues;
  positionals: string[];
  json: boolean;
  verbose: boolean;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  /** Progress and `-v` trace lines (never stdout, so `--json` stays clean). */
  stderr: NodeJS.WritableStream;
  /** The clock, in ms (injectable for tests). */
  now: () => number;
}

/** A command of `mcapi`. */
export type CommandSpec = SharedCommandSpec<CommandContext>;

/** A usage error naming the command's help. */
export function usage(command: string, message: string): McapiError {
  return new McapiError('ERR_CLI_USAGE', `${message} See: mcapi ${command} --help`);
}
