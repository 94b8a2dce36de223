import { exitCodes as shared } from '@mcapi/errors';

/**
 * Exit codes of mcapi-keytool, documented in `--help` and the README: the table every mcapi CLI
 * shares (`exitCodes` of `@mcapi/errors`), with `check`'s finding named for what it means here.
 *
 * @example
 * ```ts
 * if ((await runCli(['check', '--expires-in', '30d'])) === exitCodes.expiring) alertOps();
 * ```
 */
export const exitCodes = {
  /** Done; `check`: nothing active expires within the window. */
  ok: shared.ok,
  /** `check`: an active certificate expires within the window (the shared `warning`). */
  expiring: shared.warning,
  /** The command failed or refused (message on stderr); `check`: expired or broken keyring. */
  failure: shared.failure,
  /** Wrong usage: unknown command or option, missing argument. */
  usage: shared.usage,
  /** Cancelled at a prompt (Ctrl-C). */
  interrupted: shared.interrupted,
} as const;
