import type { CrossBorderState } from './cross-border-state.js';
import { digestOf } from './wire-format.js';

/** How a call relates to an earlier failed attempt of the same operation and reference. */
export type AttemptOutcome = 'first' | 'identical' | 'changed';

/**
 * Records or compares an attempt for the sandbox's "fails once, an identical resubmit succeeds,
 * a changed one gets 082000" cases (api-facts §2.11: `22S…501`, `11S…501`, `41CR…501`,
 * `402CR…501`). Returns the outcome and how long ago the first attempt was made.
 */
export function compareAttempt(
  state: CrossBorderState,
  operation: string,
  project: string,
  reference: string,
  body: unknown,
  now: number,
): { outcome: AttemptOutcome; elapsedMs: number } {
  const key = `${operation}|${project}|${reference}`;
  const digest = digestOf(body);
  const previous = state.attempts[key];
  if (!previous) {
    state.attempts[key] = { digest, at: now };
    return { outcome: 'first', elapsedMs: 0 };
  }
  return { outcome: previous.digest === digest ? 'identical' : 'changed', elapsedMs: now - previous.at };
}

/** Minutes in milliseconds. */
export const minutes = (count: number): number => count * 60_000;
