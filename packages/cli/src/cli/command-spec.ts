import { McapiError } from '@mcapi/errors';

// What every command module shares: the spec shape and small argument helpers.

/** One option of a command, as parseArgs takes it plus its help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  value?: string;
}

/** Values parsed by `node:util` parseArgs. */
export type ParsedValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

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

/** What a command produced: the JSON object and the human text for stdout. */
export interface CommandOutput {
  json: unknown;
  text: string;
  exitCode?: number;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  positionals: { min: number; max: number; names: string };
  options: Record<string, OptionSpec>;
  examples: string[];
  run(context: CommandContext): Promise<CommandOutput>;
}

/** A string option's value, if given. */
export const text = (values: ParsedValues, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

/** A repeatable string option's values. */
export const list = (values: ParsedValues, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];
};

/** A usage error naming the command's help. */
export function usage(command: string, message: string): McapiError {
  return new McapiError('ERR_CLI_USAGE', `${message} See: mcapi ${command} --help`);
}
