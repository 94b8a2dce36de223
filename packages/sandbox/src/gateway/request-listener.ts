import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardListener } from '../http/guard-listener.js';
import type { GatewayProfile } from './gateway-types.js';
import { type GatewayContext, handleGatewayRequest } from './handle-gateway-request.js';

const internalError = JSON.stringify({
  Errors: { Error: [{ Source: 'Gateway', ReasonCode: 'SYSTEM_ERROR', Description: 'internal sandbox error', Recoverable: true }] },
});

/** Another API served on the same listener, under a path prefix (`/loyalty/benefits`). */
export interface MountedProfile {
  prefix: string;
  profile: GatewayProfile;
}

/**
 * The `request` handler of a gateway listener; an unexpected failure answers 500, never crashes.
 * Requests under a `mounted` prefix go to that profile (the API hosts serve several APIs).
 */
export function gatewayRequestListener(
  context: GatewayContext,
  profile: GatewayProfile,
  mounted: readonly MountedProfile[] = [],
): (request: IncomingMessage, response: ServerResponse) => void {
  const pick = (target: string | undefined): GatewayProfile => {
    const path = target ?? '';
    return mounted.find((entry) => path === entry.prefix || path.startsWith(`${entry.prefix}/`) || path.startsWith(`${entry.prefix}?`))?.profile ?? profile;
  };
  return guardListener((request, response) => handleGatewayRequest(context, pick(request.url), request, response), {
    label: profile.listener,
    failure(response) {
      response.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(internalError) });
      response.end(internalError);
    },
  });
}
