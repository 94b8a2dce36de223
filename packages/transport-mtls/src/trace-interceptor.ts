import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { expectSendHeaders, type RequestTrace } from './connection-tracker.js';

const traces = new WeakSet<object>();

/** A fresh trace for one request, recognised by {@link traceInterceptor} through `opaque`. */
export function createTrace(): RequestTrace {
  const trace: RequestTrace = { start: performance.now(), firstOnConnection: false };
  traces.add(trace);
  return trace;
}

/**
 * An undici interceptor that notes, for requests carrying a trace as `opaque`, when the request
 * is written (to learn its connection) and when its response headers arrive. Every other
 * request passes through untouched.
 */
export const traceInterceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
  const trace = (options as { opaque?: unknown }).opaque;
  if (typeof trace !== 'object' || trace === null || !traces.has(trace)) return dispatch(options, handler);
  const traced = trace as RequestTrace;
  return dispatch(options, {
    onRequestStart(controller, context) {
      expectSendHeaders(traced);
      handler.onRequestStart?.(controller, context);
    },
    onRequestUpgrade(controller, statusCode, headers, socket) {
      handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
    },
    onResponseStart(controller, statusCode, headers, statusMessage) {
      traced.firstByteAt = performance.now();
      if (traced.connection !== undefined) traced.connection.responses += 1;
      handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
    },
    onResponseData(controller, chunk) {
      handler.onResponseData?.(controller, chunk);
    },
    onResponseEnd(controller, trailers) {
      handler.onResponseEnd?.(controller, trailers);
    },
    onResponseError(controller, error) {
      handler.onResponseError?.(controller, error);
    },
  });
};
