import type { VerifyOAuth1Result } from '@mcapi/auth';

/**
 * One check the gateway made on a request, as the dashboard shows it ("signature valid?").
 *
 * @example
 * ```ts
 * { check: 'body hash', result: 'failed', detail: 'oauth_body_hash does not match …' }
 * ```
 */
export interface VerificationStep {
  check: string;
  /** `skipped`: not reached, an earlier check failed. */
  result: 'passed' | 'failed' | 'skipped';
  detail?: string;
}

/**
 * The steps of checks made one after another: with no failure all passed; else the checks
 * before the failed one passed, the failed one says why, and the later ones were not reached.
 * A failed check this list does not name stops the first one: nothing after it is claimed.
 *
 * @example
 * ```ts
 * checkSteps(['token known', 'token unexpired'], { check: 'token unexpired', detail: 'expired' });
 * // [{ check: 'token known', result: 'passed' }, { check: 'token unexpired', result: 'failed', detail: 'expired' }]
 * ```
 */
export function checkSteps(
  checks: readonly string[],
  failed?: { check: string; detail: string },
  passedDetails: Readonly<Record<string, string>> = {},
): VerificationStep[] {
  const failedAt = failed === undefined ? checks.length : Math.max(0, checks.indexOf(failed.check));
  return checks.map((check, index): VerificationStep => {
    if (index < failedAt) {
      const detail = passedDetails[check];
      return detail === undefined ? { check, result: 'passed' } : { check, result: 'passed', detail };
    }
    if (index === failedAt) return { check, result: 'failed', detail: failed!.detail };
    return { check, result: 'skipped' };
  });
}

// The checks of `verifyOAuth1`, in the order it makes them, with the failure reasons that stop
// each one.
const oauth1Checks: ReadonlyArray<readonly [check: string, reasons: readonly string[]]> = [
  ['Authorization header', ['missing_authorization', 'malformed_authorization', 'missing_parameter', 'invalid_url', 'unsupported_signature_method', 'unsupported_version']],
  ['body hash', ['body_hash_mismatch']],
  ['timestamp in window', ['timestamp_out_of_window']],
  ['consumer key registered', ['unknown_consumer_key']],
  ['signature valid', ['invalid_signature']],
  ['nonce fresh', ['nonce_replayed']],
];
const oauth1CheckNames = oauth1Checks.map(([check]) => check);

/**
 * The step-by-step view of an OAuth 1.0a verification.
 *
 * @example
 * ```ts
 * oauth1Steps(await verifyOAuth1(…)); // [{ check: 'Authorization header', result: 'passed' }, …]
 * ```
 */
export function oauth1Steps(result: VerifyOAuth1Result): VerificationStep[] {
  if (result.ok) return checkSteps(oauth1CheckNames, undefined, { 'signature valid': result.signatureMethod });
  const check = oauth1Checks.find(([, reasons]) => reasons.includes(result.reason))?.[0] ?? oauth1CheckNames[0]!;
  return checkSteps(oauth1CheckNames, { check, detail: result.message });
}
