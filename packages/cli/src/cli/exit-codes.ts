/**
 * Exit codes of `mcapi`, documented in `--help` and the README. 2 and 64 mean what they mean for
 * mcapi-keytool, so scripts treat both tools alike.
 *
 * @example
 * ```ts
 * if ((await runCli(['doctor', '--offline'])) === exitCodes.warning) notifyOps();
 * ```
 */
export const exitCodes = {
  /** Done: `request` got a 1xx–3xx answer, `doctor` found nothing to fix. */
  ok: 0,
  /** `request`/`sign`: the API answered with an HTTP error (≥ 400); `doctor`: warnings only (expiry within 30 days, clock skew). */
  warning: 1,
  /** The command failed (message on stderr); `doctor`: a check failed. */
  failure: 2,
  /** Wrong usage: unknown command or option, missing argument. */
  usage: 64,
  /** Cancelled at a prompt (Ctrl-C). */
  interrupted: 130,
} as const;
