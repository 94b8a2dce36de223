import type { CommandSpec } from './command-spec.js';

const globalOptions = [
  ['--json', 'print only JSON on stdout'],
  ['-h, --help', 'this help; mcapi COMMAND --help for a command'],
];

const exitCodeLines = [
  '  0   done (request: HTTP 1xx-3xx; doctor: all checks passed)',
  '  1   request/sign: the API answered an HTTP error (>= 400); doctor: warnings only',
  '  2   the command failed, see stderr (doctor: a check failed)',
  '  64  usage error: unknown command or option, missing argument',
  '  130 cancelled',
];

const column = (pairs: string[][]) => {
  const width = Math.max(...pairs.map(([left]) => left!.length));
  return pairs.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
};

/** The top-level help. */
export function generalHelp(specs: readonly CommandSpec[]): string {
  return [
    'mcapi: one Mastercard API request from the command line, built as @mcapi/client builds it, every step visible.',
    '',
    'Usage: mcapi COMMAND [ARGS] [OPTIONS]',
    '',
    'Commands:',
    ...column(specs.map((spec) => [spec.name, spec.summary])),
    '',
    'Options of every command:',
    ...column(globalOptions),
    '',
    'Keys come from the keyring mcapi-keytool made (--keyring DIR, $MCAPI_KEYRING, ./.mcapi/keyring) or from',
    'explicit files. Passphrases are never taken as command-line values: --*-passphrase-file or --*-passphrase-env.',
    'Card numbers are masked (first 6 / last 4) unless --show-pan.',
    '',
    'Examples:',
    ...specs.flatMap((spec) => spec.examples.slice(0, 1).map((example) => `  ${example}`)),
    '',
    'Exit codes:',
    ...exitCodeLines,
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, option]) => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`,
    option.description,
  ]);
  return [
    `mcapi ${spec.name}: ${spec.summary}`,
    '',
    `Usage: mcapi ${spec.usage}`,
    ...(options.length > 0 ? ['', 'Options:', ...column(options)] : []),
    '',
    'Options of every command:',
    ...column(globalOptions),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
    'Exit codes:',
    ...exitCodeLines,
  ].join('\n');
}
