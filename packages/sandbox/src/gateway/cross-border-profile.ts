import type { IncomingMessage } from 'node:http';
import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import { findCrossBorderOperation, maxBodyBytes, requiresEncryptedBody } from '../cross-border/cross-border-routes.js';
import type { CrossBorderState } from '../cross-border/cross-border-state.js';
import type { AuthOutcome, GatewayProfile } from './gateway-types.js';

/** Options of {@link createCrossBorderProfile}. */
export interface CrossBorderProfileOptions {
  state: CrossBorderState;
  /** OAuth 1.0a / request-token check. */
  authenticate: (request: IncomingMessage, body: Uint8Array, url: URL) => Promise<AuthOutcome>;
  /** Refuse plaintext bodies (Mastercard's sandbox accepts them for quotes and payments, §2.3). */
  requireEncryption: boolean;
}

const isEncryptedHeader = (request: IncomingMessage) => String(request.headers['x-encrypted'] ?? '').toLowerCase() === 'true';

/**
 * The Cross-Border flavour: OAuth 1.0a, the `{"encrypted_payload":{"data":"<jwe>"}}` wrapper
 * with `x-encrypted: true`, and the Cross-Border error envelope (api-facts §2.3, §2.7).
 */
export function createCrossBorderProfile(options: CrossBorderProfileOptions): GatewayProfile {
  return {
    listener: 'crossBorder',
    authenticate: options.authenticate,
    route: (method, path) => findCrossBorderOperation(options.state, method, path),
    locateJwe(body, request) {
      const wrapper = (body as { encrypted_payload?: unknown } | undefined)?.encrypted_payload;
      if (wrapper === undefined) return isEncryptedHeader(request) ? { kind: 'malformed' } : { kind: 'plain' };
      const data = (wrapper as { data?: unknown } | null)?.data;
      return typeof data === 'string' ? { kind: 'encrypted', token: data } : { kind: 'malformed' };
    },
    requiresEncryption: (method, path) => options.requireEncryption || requiresEncryptedBody(method, path),
    maxBodyBytes,
    // GET calls have no body, but `x-encrypted: true` asks for an encrypted response (§2.3).
    wantsEncryptedResponse: (request, requestWasEncrypted) => requestWasEncrypted || isEncryptedHeader(request),
    wrapJwe: (token) => ({ encrypted_payload: { data: token } }),
    encryptedResponseHeaders: { 'x-encrypted': 'true' },
    errors: {
      encryptionRequired: () =>
        crossBorderError('062000', 'Encrypted Payload', { description: 'The request payload must be encrypted (encrypted_payload.data with x-encrypted: true)' }),
      // A malformed or undecryptable payload: INVALID_INPUT_FORMAT / 062000, Source "Encrypted Payload" (§2.3).
      decryptionFailed: () => crossBorderError('062000', 'Encrypted Payload', { description: 'Invalid encrypted payload' }),
      malformedBody: () => crossBorderError('062000', 'Body', { description: 'The request body is not valid JSON' }),
      malformedTarget: () => crossBorderError('062000', 'path', { description: 'The request target is not a valid URL path' }),
      tooLarge: () => gatewayError(413, 'Gateway', 'INVALID_INPUT_LENGTH', 'Request body too large'),
      unknownClientCertificate: () => gatewayError(401, 'Gateway', 'AUTHENTICATION_FAILED', 'The client certificate is no longer registered (revoked on the dashboard): present an active certificate (mcapi-keytool rotate --purpose mtls, then import and activate the one the dashboard signs).'),
      fault: (status) =>
        status === 503
          ? gatewayError(503, 'Gateway', 'SYSTEM_ERROR', 'Service temporarily unavailable')
          : gatewayError(429, 'Gateway', 'TOO_MANY_REQUESTS', 'Too many requests'),
    },
  };
}
