import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The subject CNs of the client certificates Mastercard presents when it posts notifications
 * over mTLS (api-facts §2.6.12): MTF and production.
 */
export const mastercardNotificationNames: readonly string[] = [
  'CrossborderServicesNotification-mtf.mastercard.com',
  'CrossborderServicesNotification-prod.mastercard.com',
];

/**
 * True when the request came over TLS with a client certificate that the server's `ca` verified
 * and whose subject CN is one of `names`. The chain check is the TLS server's (`requestCert`, `ca`);
 * this adds the name, so a certificate from the same CA issued to someone else is refused.
 */
export function peerIsAllowed(request: IncomingMessage, names: readonly string[]): boolean {
  const socket = request.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function' || socket.authorized !== true) return false;
  const commonName = socket.getPeerCertificate().subject?.CN;
  const values = Array.isArray(commonName) ? commonName : [commonName];
  return values.length === 1 && typeof values[0] === 'string' && names.includes(values[0]);
}
