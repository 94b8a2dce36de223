import { isMcapiError } from './mcapi-error.js';

/**
 * The exit codes every mcapi command-line tool uses (`mcapi`, `mcapi-keytool`, `mcapi-sandbox`),
 * so a script treats them alike. 64 is `EX_USAGE` of BSD sysexits; 130 is 128 + SIGINT, what a
 * shell reports for Ctrl-C.
 *
 * | Code | Name | Meaning |
 * | --- | --- | --- |
 * | 0 | `ok` | done |
 * | 1 | `warning` | done, with a finding the caller asked about: keytool `check` (a certificate expires within the window), mcapi `request` (HTTP error answer), `doctor` (warnings only) |
 * | 2 | `failure` | the command failed or refused; the message on stderr says why |
 * | 64 | `usage` | wrong usage: unknown command or option, missing or invalid argument (`ERR_CLI_USAGE`) |
 * | 130 | `interrupted` | cancelled at a prompt (Ctrl-C) |
 *
 * @example
 * ```ts
 * import { exitCodes } from '@mcapi/errors';
 * process.exitCode = ok ? exitCodes.ok : exitCodes.failure;
 * ```
 */
export const exitCodes = {
  ok: 0,
  warning: 1,
  failure: 2,
  usage: 64,
  interrupted: 130,
} as const;

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * The exit code for an error a command ended with: `usage` for `ERR_CLI_USAGE`, `failure` for
 * anything else.
 *
 * @example
 * ```ts
 * catch (error) { process.exitCode = exitCodeOf(error); }
 * ```
 */
export function exitCodeOf(error: unknown): ExitCode {
  return isMcapiError(error, 'ERR_CLI_USAGE') ? exitCodes.usage : exitCodes.failure;
}
