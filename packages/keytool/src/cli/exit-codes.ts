/**
 * Exit codes of mcapi-keytool, documented in `--help` and the README.
 *
 * @example
 * ```ts
 * if ((await runCli(['check', '--expires-in', '30d'])) === exitCodes.expiring) alertOps();
 * ```
 */
export const exitCodes = {
  /** Done; `check`: nothing active expires within the window. */
  ok: 0,
  /** `check`: an active certificate expires within the window. */
  expiring: 1,
  /** The command failed or refused (message on stderr); `check`: expired or broken keyring. */
  failure: 2,
  /** Wrong usage: unknown command or option, missing argument. */
  usage: 64,
  /** Cancelled at a prompt (Ctrl-C). */
  interrupted: 130,
} as const;
