import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { certificateFingerprint } from '@mcapi/keys';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';

/**
 * TLS server options that demand a client certificate from the sandbox CA: without one, or with
 * one from another CA, the handshake fails as on Mastercard's mTLS gateways.
 */
export function clientCertificateTls(keys: SandboxKeys): { ca: string[]; requestCert: true; rejectUnauthorized: true } {
  return { ca: [keys.ca.certificate.toString()], requestCert: true, rejectUnauthorized: true };
}

/**
 * Drops, right after the handshake, a connection whose certificate the dashboard does not know
 * (revoked, or from another sandbox state); `onKnown` gets the fingerprint of the others.
 */
export function dropUnknownClientCertificates(server: Server, dashboard: DashboardLookups, onKnown?: (socket: TLSSocket, fingerprint: string) => void): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerX509Certificate();
    const fingerprint = peer ? certificateFingerprint(peer, 'hex') : undefined;
    if (fingerprint === undefined || dashboard.projectForClientCertificate(fingerprint) === undefined) {
      socket.destroy();
      return;
    }
    onKnown?.(socket, fingerprint);
  });
  // Failed handshakes are the expected outcome of foreign certificates: nothing to report.
  server.on('tlsClientError', () => undefined);
}
