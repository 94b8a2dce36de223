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
 * The `certificateFingerprint` of the client certificate each mTLS connection presented, for
 * every listener that asks for one: the request log shows it, and Benefit Allocation finds the
 * project by it.
 */
export type PresentedCertificates = WeakMap<TLSSocket, string>;

/**
 * Drops, right after the handshake, a connection whose certificate the dashboard does not know
 * (revoked, or from another sandbox state); the fingerprint of the others goes in `presented`.
 */
export function dropUnknownClientCertificates(server: Server, dashboard: DashboardLookups, presented: PresentedCertificates): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerX509Certificate();
    const fingerprint = peer ? certificateFingerprint(peer, 'hex') : undefined;
    if (fingerprint === undefined || dashboard.projectForClientCertificate(fingerprint) === undefined) {
      socket.destroy();
      return;
    }
    presented.set(socket, fingerprint);
  });
  // Failed handshakes are the expected outcome of foreign certificates: nothing to report.
  server.on('tlsClientError', () => undefined);
}
