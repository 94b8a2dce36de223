import { type Server, createServer } from 'node:https';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { GatewayProfile } from './gateway-types.js';
import type { GatewayContext } from './handle-gateway-request.js';
import { gatewayRequestListener } from './request-listener.js';

/**
 * The Cross-Border listener: server-authenticated TLS only (no client certificate); every call
 * is authenticated by its OAuth 1.0a signature or request token.
 */
export function createCrossBorderListener(context: GatewayContext, profile: GatewayProfile, keys: SandboxKeys): Server {
  return createServer(
    {
      key: keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: keys.server.certificate.toString(),
      minVersion: 'TLSv1.2',
    },
    gatewayRequestListener(context, profile),
  );
}
