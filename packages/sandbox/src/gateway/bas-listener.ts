import { type Server, createServer } from 'node:https';
import { certificateFingerprint } from '@mcapi/keys';
import type { TLSSocket } from 'node:tls';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import type { GatewayProfile } from './gateway-types.js';
import type { GatewayContext } from './handle-gateway-request.js';
import { gatewayRequestListener } from './request-listener.js';

/**
 * The Benefit Allocation listener: TLS with `requestCert` and `rejectUnauthorized` against the
 * sandbox CA, so a missing or foreign client certificate fails the handshake as on Mastercard's
 * mTLS gateway. A certificate from the sandbox CA that the dashboard does not know (revoked, or
 * from another sandbox state) is dropped right after the handshake.
 */
export function createBasListener(
  context: GatewayContext,
  makeProfile: (projectOf: (socket: TLSSocket) => string | undefined) => GatewayProfile,
  keys: SandboxKeys,
  dashboard: DashboardLookups,
): Server {
  // Certificate fingerprint per connection; the project is looked up per request so a revoked
  // certificate stops working on connections that are already open too.
  const fingerprints = new WeakMap<TLSSocket, string>();
  const profile = makeProfile((socket) => {
    const fingerprint = fingerprints.get(socket);
    return fingerprint === undefined ? undefined : dashboard.projectForClientCertificate(fingerprint);
  });
  const server = createServer(
    {
      key: keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: keys.server.certificate.toString(),
      ca: [keys.ca.certificate.toString()],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    gatewayRequestListener(context, profile),
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerX509Certificate();
    const fingerprint = peer ? certificateFingerprint(peer, 'hex') : undefined;
    if (fingerprint === undefined || dashboard.projectForClientCertificate(fingerprint) === undefined) {
      socket.destroy();
      return;
    }
    fingerprints.set(socket, fingerprint);
  });
  // Failed handshakes are the expected outcome of foreign certificates: nothing to report.
  server.on('tlsClientError', () => undefined);
  return server;
}
