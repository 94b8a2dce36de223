import { McapiError } from '@mcapi/errors';
import type { Handler, Transport } from './types.js';

const decoder = new TextDecoder();

/** Options of {@link transportHandler}. */
export interface TransportHandlerOptions {
  /** The per-attempt timeout the transport itself enforces (headers and body timeouts), in ms. */
  enforcedTimeoutMs?: number;
}

/**
 * The end of the pipeline: sends one attempt through a transport with the per-attempt timeout
 * and the caller's `AbortSignal`, and flattens the response headers.
 *
 * @example
 * ```ts
 * const send = compose(steps, transportHandler(createMtlsTransport({ credentials, ca })));
 * ```
 */
export function transportHandler(transport: Transport, options: TransportHandlerOptions = {}): Handler {
  return async (request) => {
    // When the transport already enforces this timeout (its headers and body timeouts), skip the
    // per-attempt timer and signal: they cost a timer and listeners on every request.
    const timeout = request.timeoutMs === options.enforcedTimeoutMs ? undefined : AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal && timeout ? AbortSignal.any([request.signal, timeout]) : (request.signal ?? timeout);
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
      if (timeout === undefined && (code === 'ERR_HEADERS_TIMEOUT' || code === 'ERR_BODY_TIMEOUT')) {
        // The pool enforced our timeout: its message names the transport's headersTimeout and
        // bodyTimeout, which a client user cannot set; say which option to change instead.
        throw new McapiError(
          code,
          `No complete answer within ${request.timeoutMs} ms; raise the "timeout" option or check the service. The request may still have been processed.`,
          { cause: error },
        );
      }
      if (timeout?.aborted && !request.signal?.aborted) {
        throw new McapiError(
          'ERR_HEADERS_TIMEOUT',
          `No complete answer within ${request.timeoutMs} ms; raise the "timeout" option or check the service.`,
          { cause: error },
        );
      }
      throw error;
    }
  };
}
