import { type Server, createServer } from 'node:https';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import { type PresentedCertificates, clientCertificateTls, dropUnknownClientCertificates } from './client-certificate.js';

/**
 * An HTTPS server with the sandbox server certificate (Cross-Border, OAuth 2.0): callers are
 * authenticated per request. With `clientCertificates` (MTS EU/UK, `crossBorderMtls`) it also
 * asks for a client certificate the dashboard issued, and records it in `presented`. Its handler
 * is given by `serve`.
 */
export function createTlsServer(keys: SandboxKeys, clientCertificates?: { dashboard: DashboardLookups; presented: PresentedCertificates }): Server {
  const server = createServer({
    key: keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: keys.server.certificate.toString(),
    minVersion: 'TLSv1.2',
    ...(clientCertificates !== undefined && clientCertificateTls(keys)),
  });
  if (clientCertificates !== undefined) dropUnknownClientCertificates(server, clientCertificates.dashboard, clientCertificates.presented);
  return server;
}
