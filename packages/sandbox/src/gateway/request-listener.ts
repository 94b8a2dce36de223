import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactText } from '@mcapi/errors';
import type { GatewayProfile } from './gateway-types.js';
import { type GatewayContext, handleGatewayRequest } from './handle-gateway-request.js';

/** The `request` handler of a gateway listener; an unexpected failure answers 500, never crashes. */
export function gatewayRequestListener(context: GatewayContext, profile: GatewayProfile) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handleGatewayRequest(context, profile, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        const body = JSON.stringify({
          Errors: { Error: [{ Source: 'Gateway', ReasonCode: 'SYSTEM_ERROR', Description: 'internal sandbox error', Recoverable: true }] },
        });
        response.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      } else {
        response.destroy();
      }
      // The message may quote a request (a card number, a header): redact before it reaches logs.
      process.emitWarning(`mcapi-sandbox: ${redactText(String((error as Error)?.message ?? error))}`);
    });
  };
}
