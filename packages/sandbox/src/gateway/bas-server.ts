import { type Server, createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import { type PresentedCertificates, clientCertificateTls, dropUnknownClientCertificates } from '../http/client-certificate.js';

/** The Benefit Allocation server and the project of each of its connections. */
export interface BasServer {
  /** HTTPS with mTLS; its handler is given by `serve`. */
  server: Server;
  /** The project of the client certificate a connection presented, looked up per request. */
  projectOf(socket: TLSSocket): string | undefined;
}

/**
 * The Benefit Allocation server: TLS with `requestCert` and `rejectUnauthorized` against the
 * sandbox CA, so a missing or foreign client certificate fails the handshake as on Mastercard's
 * mTLS gateway. A certificate from the sandbox CA that the dashboard does not know (revoked, or
 * from another sandbox state) is dropped right after the handshake; the others are recorded in
 * `presented`.
 */
export function createBasServer(keys: SandboxKeys, dashboard: DashboardLookups, presented: PresentedCertificates): BasServer {
  // The project is looked up per request, so a revoked certificate stops working on connections
  // that are already open too.
  const server = createServer({
    key: keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: keys.server.certificate.toString(),
    ...clientCertificateTls(keys),
    minVersion: 'TLSv1.2',
  });
  dropUnknownClientCertificates(server, dashboard, presented);
  return {
    server,
    projectOf(socket) {
      const fingerprint = presented.get(socket);
      return fingerprint === undefined ? undefined : dashboard.projectForClientCertificate(fingerprint);
    },
  };
}
