import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactText } from '@mcapi/errors';

/** A request handler that may throw or reject. */
export type UnsafeHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** Options of {@link guardListener}. */
export interface GuardListenerOptions {
  /** Names the listener in the warning (`mcapi-sandbox <label>: …`). */
  label: string;
  /** Writes the listener's 500 answer (its error form); called only while no header was sent. */
  failure(response: ServerResponse): void;
}

/**
 * Wraps a listener's handler so that no failure, synchronous or not, leaves it: the client gets
 * the listener's 500 answer (or a dropped connection once headers are out) and the process gets
 * one warning with card numbers and credentials redacted. One malformed request must never end
 * the sandbox (issue 12 item 4).
 */
export function guardListener(handler: UnsafeHandler, options: GuardListenerOptions) {
  const fail = (response: ServerResponse, error: unknown) => {
    try {
      if (!response.headersSent) options.failure(response);
      else response.destroy();
    } catch {
      response.destroy();
    }
    // The message may quote a request (a card number, a header): redact before it reaches logs.
    process.emitWarning(`mcapi-sandbox ${options.label}: ${redactText(String((error as Error)?.message ?? error))}`);
  };
  return (request: IncomingMessage, response: ServerResponse): void => {
    try {
      const pending = handler(request, response);
      if (pending) pending.catch((error: unknown) => fail(response, error));
    } catch (error) {
      fail(response, error);
    }
  };
}
