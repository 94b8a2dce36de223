import type { CommandLineProgram, GeneralHelp, HelpFrame } from '@mcapi/cli-kit';
import type { CliContext } from './cli-context.js';
import { commandSpecs } from './command-specs.js';

// What mcapi-keytool is: its commands, the words of its help pages (the layout is
// @mcapi/cli-kit's, shared with mcapi), the flags every command takes.

/** Program name, options of every command and exit codes, on every help page. */
const helpFrame: HelpFrame = {
  program: 'mcapi-keytool',
  globalOptions: [
    ['--keyring DIR', 'keyring directory (default: $MCAPI_KEYRING, else ./.mcapi/keyring)'],
    ['--json', 'print only JSON on stdout (objects describing a key carry its id)'],
    ['--non-interactive', 'never prompt; fail when a passphrase or confirmation is missing'],
    ['--passphrase-file FILE', 'keyring passphrase from FILE (one trailing newline ignored)'],
    ['--passphrase-env VAR', 'keyring passphrase from variable VAR (default variable: MCAPI_KEYRING_PASSPHRASE)'],
    ['-h, --help', 'this help; mcapi-keytool COMMAND --help for a command'],
  ],
  exitCodeLines: [
    '  0   done (check: nothing active expires within the window)',
    '  1   check: an active certificate expires within the window',
    '  2   the command failed or refused, see stderr (check: expired certificate or broken keyring)',
    '  64  usage error: unknown command or option, missing argument',
    '  130 cancelled at a prompt',
  ],
};

/** The rest of `mcapi-keytool --help`. */
const generalHelp: GeneralHelp = {
  summary: 'the Mastercard key lifecycle (CSRs, certificates, PKCS#12, rotation, expiry checks).',
  notes: [
    'Passphrases are never taken as command-line values: hidden prompt, --*-file or --*-env only.',
    '',
    "A key's life: csr → upload the CSR on Mastercard Developers → import-cert → activate;",
    'a year later: rotate → upload → import-cert → activate (the old key becomes previous) → retire.',
  ],
  examples: [
    'mcapi-keytool init',
    'mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Example Ltd"',
    'mcapi-keytool import-cert signed.pem && mcapi-keytool activate mtls-sandbox-20261125-3f9a1c',
    'mcapi-keytool list',
    'mcapi-keytool check --expires-in 30d',
  ],
};

/** `mcapi-keytool` for `runCommandLine`. */
export const keytoolProgram: CommandLineProgram<CliContext> = {
  frame: helpFrame,
  help: generalHelp,
  specs: commandSpecs,
  globalOptions: {
    keyring: { type: 'string' },
    'non-interactive': { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    'passphrase-env': { type: 'string' },
  },
  secretFlagMessage:
    'Passphrases are never taken as command-line values (other users see them in ps, and shells keep them in history). Use the prompt, --passphrase-file FILE or --passphrase-env VAR (--p12-passphrase-file / --p12-passphrase-env for PKCS#12).',
};
