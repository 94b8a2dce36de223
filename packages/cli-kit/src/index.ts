// Public API of @mcapi/cli-kit: the command-line plumbing mcapi and mcapi-keytool share, so both
// parse, explain, refuse secrets, report errors and exit the same way.
export { type CommandOutput, type CommandSpec, type OptionSpec, type ParsedValues, list, text } from './command-spec.js';
export { type GeneralHelp, type HelpFrame, renderCommandHelp, renderGeneralHelp } from './help.js';
export { type CommandLineOptions, type CommandLineProgram, type GlobalOptions, type ParsedCommandLine, runCommandLine } from './run-command-line.js';
export { secretFrom } from './secrets.js';
export { type KeyringLocation, defaultKeyringDir, keyringLocation } from './keyring-location.js';
