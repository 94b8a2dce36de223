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

// The checks of `verifyOAuth1`, in the order it makes them, with the failure reasons that stop
// each one. A failure marks its check failed, the earlier ones passed and the later ones skipped.
const oauth1Checks: ReadonlyArray<readonly [check: string, reasons: readonly string[]]> = [
  ['Authorization header', ['missing_authorization', 'malformed_authorization', 'missing_parameter', 'invalid_url', 'unsupported_signature_method', 'unsupported_version']],
  ['body hash', ['body_hash_mismatch']],
  ['timestamp in window', ['timestamp_out_of_window']],
  ['consumer key registered', ['unknown_consumer_key']],
  ['signature valid', ['invalid_signature']],
  ['nonce fresh', ['nonce_replayed']],
];

/**
 * The step-by-step view of an OAuth 1.0a verification.
 *
 * @example
 * ```ts
 * oauth1Steps(await verifyOAuth1(…)); // [{ check: 'Authorization header', result: 'passed' }, …]
 * ```
 */
export function oauth1Steps(result: VerifyOAuth1Result): VerificationStep[] {
  if (result.ok) {
    return oauth1Checks.map(([check]) => ({
      check,
      result: 'passed' as const,
      ...(check === 'signature valid' && { detail: result.signatureMethod }),
    }));
  }
  // A reason this table does not know stops the first check: nothing after it is claimed.
  const failedAt = Math.max(0, oauth1Checks.findIndex(([, reasons]) => reasons.includes(result.reason)));
  return oauth1Checks.map(([check], index): VerificationStep => {
    if (index < failedAt) return { check, result: 'passed' };
    if (index === failedAt) return { check, result: 'failed', detail: result.message };
    return { check, result: 'skipped' };
  });
}
