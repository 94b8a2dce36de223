import type { CommandLineProgram, GeneralHelp, HelpFrame } from '@mcapi/cli-kit';
import type { CommandContext } from './command-spec.js';
import { commandSpecs } from './command-specs.js';

// What mcapi is: its commands, the words of its help pages (the layout is @mcapi/cli-kit's,
// shared with mcapi-keytool), the flags every command takes.

/** Program name, options of every command and exit codes, on every help page. */
const helpFrame: HelpFrame = {
  program: 'mcapi',
  globalOptions: [
    ['--json', 'print only JSON on stdout'],
    ['-h, --help', 'this help; mcapi COMMAND --help for a command'],
  ],
  exitCodeLines: [
    '  0   done (request: HTTP 1xx-3xx; doctor: all checks passed)',
    '  1   request/sign: the API answered an HTTP error (>= 400); doctor: warnings only',
    '  2   the command failed, see stderr (doctor: a check failed)',
    '  64  usage error: unknown command or option, missing argument',
    '  130 cancelled',
  ],
};

/** The rest of `mcapi --help`. */
const generalHelp: GeneralHelp = {
  summary: 'one Mastercard API request from the command line, built as @mcapi/client builds it, every step visible.',
  notes: [
    'Keys come from the keyring mcapi-keytool made (--keyring DIR, $MCAPI_KEYRING, ./.mcapi/keyring) or from',
    'explicit files. Passphrases are never taken as command-line values: --*-passphrase-file or --*-passphrase-env.',
    'Card numbers are masked (first 6 / last 4) unless --show-pan.',
  ],
  examples: commandSpecs.flatMap((spec) => spec.examples.slice(0, 1)),
};

/** `mcapi` for `runCommandLine`. */
export const mcapiProgram: CommandLineProgram<CommandContext> = {
  frame: helpFrame,
  help: generalHelp,
  specs: commandSpecs,
  secretFlagMessage:
    'Passphrases are never taken as command-line values (other users see them in ps, and shells keep them in history). Use --passphrase-file FILE or --passphrase-env VAR (--key-passphrase-file / --key-passphrase-env for key files).',
};
