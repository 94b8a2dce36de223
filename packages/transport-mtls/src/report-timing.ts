import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { McapiErrorCode } from '@mcapi/errors';
import type { RequestTrace } from './connection-tracker.js';
import type { RequestTiming, TransportWarningHandler } from './types.js';

/**
 * The `node:diagnostics_channel` name every transport publishes one {@link RequestTiming} to per
 * request, when someone subscribes (an APM agent, a metrics module), without touching options.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(timingChannelName, (timing) => console.log(timing)); // { method, url, tlsMs, firstByteMs, totalMs, … }
 * ```
 */
export const timingChannelName = 'mcapi:transport-mtls:timing';

const timingChannel = channel(timingChannelName);

/** Where one finished request is reported. */
export interface TimingSink {
  onTiming: ((timing: RequestTiming) => void) | undefined;
  onWarning: TransportWarningHandler;
}

/** Builds the request's timing and hands it to `onTiming` and the diagnostics channel, if anyone listens. */
export function reportTiming(
  sink: TimingSink,
  trace: RequestTrace,
  method: string,
  url: URL,
  outcome: { status: number } | { errorCode: McapiErrorCode },
): void {
  if (sink.onTiming === undefined && !timingChannel.hasSubscribers) return;
  const end = performance.now();
  const connection = trace.connection;
  const timing: RequestTiming = {
    method,
    url: `${url.origin}${url.pathname}`,
    ...outcome,
    newConnection: trace.firstOnConnection,
    totalMs: end - trace.start,
    ...(trace.firstByteAt !== undefined && { firstByteMs: trace.firstByteAt - trace.start }),
    ...(connection?.protocol !== undefined && { protocol: connection.protocol }),
  };
  if (trace.firstOnConnection && connection !== undefined) {
    if (connection.connectedAt !== undefined) timing.connectMs = connection.connectedAt - connection.startedAt;
    if (connection.secureAt !== undefined) {
      timing.tlsMs = connection.secureAt - (connection.connectedAt ?? connection.startedAt);
    }
  }
  if (timingChannel.hasSubscribers) timingChannel.publish(timing);
  if (sink.onTiming !== undefined) {
    // A failing metrics hook must not fail a request that succeeded.
    try {
      sink.onTiming(timing);
    } catch (error) {
      sink.onWarning(`onTiming threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
