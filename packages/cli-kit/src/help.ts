import type { CommandSpec } from './command-spec.js';

/** What every help page of a CLI repeats: its name, the options of every command, its exit codes. */
export interface HelpFrame {
  /** The binary: `mcapi`, `mcapi-keytool`. */
  program: string;
  /** `[flags, description]` of the options every command takes. */
  globalOptions: readonly (readonly [string, string])[];
  /** The lines under `Exit codes:`. */
  exitCodeLines: readonly string[];
}

/** The top of the general help page. */
export interface GeneralHelp {
  /** One line after `<program>: `. */
  summary: string;
  /** Paragraphs after the options (blank lines as ''). */
  notes: readonly string[];
  examples: readonly string[];
}

const column = (pairs: readonly (readonly [string, string])[]) => {
  const width = Math.max(...pairs.map(([left]) => left.length));
  return pairs.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
};

const commonOptions = (frame: HelpFrame) => ['', 'Options of every command:', ...column(frame.globalOptions)];

const examplesAndExitCodes = (frame: HelpFrame, examples: readonly string[]) => [
  '',
  'Examples:',
  ...examples.map((example) => `  ${example}`),
  '',
  'Exit codes:',
  ...frame.exitCodeLines,
];

/**
 * The help a CLI prints for `--help` or no command: commands, common options, notes, examples,
 * exit codes.
 *
 * @example
 * ```ts
 * stdout.write(`${renderGeneralHelp(frame, specs, { summary: 'the key lifecycle', notes: [], examples: ['mytool list'] })}\n`);
 * ```
 */
export function renderGeneralHelp<C>(frame: HelpFrame, specs: readonly CommandSpec<C>[], page: GeneralHelp): string {
  return [
    `${frame.program}: ${page.summary}`,
    '',
    `Usage: ${frame.program} COMMAND [ARGS] [OPTIONS]`,
    '',
    'Commands:',
    ...column(specs.map((spec) => [spec.name, spec.summary] as const)),
    ...commonOptions(frame),
    ...(page.notes.length > 0 ? ['', ...page.notes] : []),
    ...examplesAndExitCodes(frame, page.examples),
  ].join('\n');
}

/**
 * The help of one command (`<program> COMMAND --help`).
 *
 * @example
 * ```ts
 * stdout.write(`${renderCommandHelp(frame, spec)}\n`);
 * ```
 */
export function renderCommandHelp<C>(frame: HelpFrame, spec: CommandSpec<C>): string {
  const options = Object.entries(spec.options).map(
    ([name, option]) => [`${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`, option.description] as const,
  );
  return [
    `${frame.program} ${spec.name}: ${spec.summary}`,
    '',
    `Usage: ${frame.program} ${spec.usage}`,
    ...(options.length > 0 ? ['', 'Options:', ...column(options)] : []),
    ...commonOptions(frame),
    ...examplesAndExitCodes(frame, spec.examples),
  ].join('\n');
}
