import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardListener } from '../http/guard-listener.js';
import type { GatewayProfile } from './gateway-types.js';
import { type GatewayContext, handleGatewayRequest } from './handle-gateway-request.js';

const internalError = JSON.stringify({
  Errors: { Error: [{ Source: 'Gateway', ReasonCode: 'SYSTEM_ERROR', Description: 'internal sandbox error', Recoverable: true }] },
});

/** The `request` handler of a gateway listener; an unexpected failure answers 500, never crashes. */
export function gatewayRequestListener(context: GatewayContext, profile: GatewayProfile): (request: IncomingMessage, response: ServerResponse) => void {
  return guardListener((request, response) => handleGatewayRequest(context, profile, request, response), {
    label: profile.listener,
    failure(response) {
      response.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(internalError) });
      response.end(internalError);
    },
  });
}
