import type { ClientLogger } from '../logging/logger.js';
import { type Authorizer, authorizeStep } from './authorize-step.js';
import { errorBodyStep } from './error-body-step.js';
import { logStep } from './log-step.js';
import { type RetryStepOptions, retryStep } from './retry-step.js';
import { type TransportHandlerOptions, transportHandler } from './transport-handler.js';
import { compose, type Handler, type Step, type Transport } from './types.js';

/** Options of {@link createPipeline}. */
export interface PipelineOptions {
  transport: Transport;
  /** The client-wide per-attempt timeout and whether the transport enforces it. */
  timeout: TransportHandlerOptions;
  /** Backoff, its clock, and the logger of `retry` events. */
  retry: Omit<RetryStepOptions, 'logger'>;
  logger?: ClientLogger | undefined;
  /** Signs every attempt anew; absent when the transport authenticates (mTLS). */
  authorizer?: Authorizer | undefined;
  /**
   * Steps that run once per call, outside the retry loop, outermost first: the typed client's
   * API error, serialise and encrypt steps (the fetch adapter has none).
   */
  perCall?: readonly Step[];
}

/**
 * The request pipeline of one API (design.md, "The request pipeline"):
 * per-call steps → retry loop → log → authorize (fresh per attempt) → error body → transport.
 *
 * @example
 * ```ts
 * const send = createPipeline({
 *   transport, timeout: { timeoutMs: 60_000, transportEnforcesTimeout: true }, retry: {},
 *   authorizer, perCall: [apiErrorStep(), serializeStep(), encryptStep(crypto, crossBorderWrapper)],
 * });
 * ```
 */
export function createPipeline(options: PipelineOptions): Handler {
  const { logger, authorizer } = options;
  const steps: Step[] = [...(options.perCall ?? []), retryStep({ ...options.retry, ...(logger === undefined ? {} : { logger }) })];
  if (logger) steps.push(logStep(logger));
  if (authorizer) steps.push(authorizeStep(authorizer));
  steps.push(errorBodyStep());
  return compose(steps, transportHandler(options.transport, options.timeout));
}
