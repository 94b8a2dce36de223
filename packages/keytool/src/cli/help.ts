import type { CommandSpec } from './command-specs.js';

const globalOptions = [
  ['--keyring DIR', 'keyring directory (default: $MCAPI_KEYRING, else ./.mcapi/keyring)'],
  ['--json', 'print only JSON on stdout (objects describing a key carry its id)'],
  ['--non-interactive', 'never prompt; fail when a passphrase or confirmation is missing'],
  ['--passphrase-file FILE', 'keyring passphrase from FILE (one trailing newline ignored)'],
  ['--passphrase-env VAR', 'keyring passphrase from variable VAR (default variable: MCAPI_KEYRING_PASSPHRASE)'],
  ['-h, --help', 'this help; mcapi-keytool COMMAND --help for a command'],
];

const exitCodeLines = [
  '  0   done (check: nothing active expires within the window)',
  '  1   check: an active certificate expires within the window',
  '  2   the command failed or refused, see stderr (check: expired certificate or broken keyring)',
  '  64  usage error: unknown command or option, missing argument',
  '  130 cancelled at a prompt',
];

const column = (pairs: string[][]) => {
  const width = Math.max(...pairs.map(([left]) => left!.length));
  return pairs.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
};

/** The top-level help. */
export function generalHelp(specs: readonly CommandSpec[]): string {
  return [
    'mcapi-keytool: the Mastercard key lifecycle (CSRs, certificates, PKCS#12, rotation, expiry checks).',
    '',
    'Usage: mcapi-keytool COMMAND [ARGS] [OPTIONS]',
    '',
    'Commands:',
    ...column(specs.map((spec) => [spec.name, spec.summary])),
    '',
    'Options of every command:',
    ...column(globalOptions),
    '',
    'Passphrases are never taken as command-line values: hidden prompt, --*-file or --*-env only.',
    '',
    'A key\'s life: csr → upload the CSR on Mastercard Developers → import-cert → activate;',
    'a year later: rotate → upload → import-cert → activate (the old key becomes previous) → retire.',
    '',
    'Examples:',
    '  mcapi-keytool init',
    '  mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Example Ltd"',
    '  mcapi-keytool import-cert signed.pem && mcapi-keytool activate mtls-sandbox-20261125-3f9a1c',
    '  mcapi-keytool list',
    '  mcapi-keytool check --expires-in 30d',
    '',
    'Exit codes:',
    ...exitCodeLines,
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, option]) => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.description]);
  return [
    `mcapi-keytool ${spec.name}: ${spec.summary}`,
    '',
    `Usage: mcapi-keytool ${spec.usage}`,
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
