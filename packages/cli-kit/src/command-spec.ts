// What every command of an mcapi CLI declares, and the small readers of parsed arguments.

/** One option of a command: what `node:util` parseArgs takes, plus its help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  /** The value's name in the help (`--keyring DIR`). */
  value?: string;
}

/** Values parsed by `node:util` parseArgs. */
export type ParsedValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What a command produced: the JSON object and the human text for stdout. */
export interface CommandOutput {
  json: unknown;
  text: string;
  exitCode?: number;
}

/**
 * One command: its name, help, options and what it runs with the CLI's context `C`.
 *
 * @example
 * ```ts
 * const spec: CommandSpec<MyContext> = {
 *   name: 'list', summary: 'list the keys', usage: 'list [--purpose P]',
 *   positionals: { min: 0, max: 0, names: '' }, options: {}, examples: ['mytool list'],
 *   run: async () => ({ json: [], text: 'no keys' }),
 * };
 * ```
 */
export interface CommandSpec<C> {
  name: string;
  summary: string;
  usage: string;
  positionals: { min: number; max: number; names: string };
  options: Record<string, OptionSpec>;
  examples: string[];
  run(context: C): Promise<CommandOutput>;
}

/**
 * A string option's value, if given.
 *
 * @example
 * ```ts
 * const dir = text(values, 'keyring'); // string | undefined
 * ```
 */
export const text = (values: ParsedValues, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

/**
 * A repeatable string option's values.
 *
 * @example
 * ```ts
 * const headers = list(values, 'header'); // [] when absent
 * ```
 */
export const list = (values: ParsedValues, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];
};
