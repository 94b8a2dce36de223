import { McapiError } from '@mcapi/errors';
import type { Handler, Transport } from './types.js';

const decoder = new TextDecoder();

/** Options of {@link transportHandler}: the client-wide timeout and who enforces it. */
export interface TransportHandlerOptions {
  /** Per-attempt timeout of calls that set none, in ms. */
  timeoutMs: number;
  /**
   * True when the transport enforces `timeoutMs` itself (its pool's headers and body timeouts):
   * calls without a timeout of their own then need no timer. False with a caller's dispatcher.
   */
  transportEnforcesTimeout: boolean;
}

/**
 * The end of the pipeline: sends one attempt through a transport with the per-attempt timeout
 * and the caller's `AbortSignal`, and flattens the response headers.
 *
 * @example
 * ```ts
 * const send = compose(steps, transportHandler(transport, { timeoutMs: 60_000, transportEnforcesTimeout: true }));
 * ```
 */
export function transportHandler(transport: Transport, options: TransportHandlerOptions): Handler {
  return async (request) => {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    // A timer only where the pool does not already enforce this call's timeout: a per-call
    // timeout, or a dispatcher of the caller's (a timer and listeners cost on every request).
    const timer = request.timeoutMs !== undefined || !options.transportEnforcesTimeout ? AbortSignal.timeout(timeoutMs) : undefined;
    const signal = request.signal && timer ? AbortSignal.any([request.signal, timer]) : (request.signal ?? timer);
    try {
      const response = await transport.request({
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(signal === undefined ? {} : { signal }),
      });
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.status, headers: flat, text: decoder.decode(response.body), bytes: response.body };
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      if (timer === undefined && (code === 'ERR_HEADERS_TIMEOUT' || code === 'ERR_BODY_TIMEOUT')) {
        // The pool enforced our timeout: its message names the transport's headersTimeout and
        // bodyTimeout, which a client user cannot set; say which option to change instead.
        throw new McapiError(
          code,
          `No complete answer within ${timeoutMs} ms; raise the "timeout" option or check the service. The request may still have been processed.`,
          { cause: error },
        );
      }
      if (timer?.aborted && !request.signal?.aborted) {
        throw new McapiError('ERR_HEADERS_TIMEOUT', `No complete answer within ${timeoutMs} ms; raise the "timeout" option or check the service.`, {
          cause: error,
        });
      }
      throw error;
    }
  };
}
