import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { basError, basInvalid } from '../envelopes/bas-error.js';
import { findBasOperation } from '../bas/bas-routes.js';
import type { BasState } from '../bas/bas-state.js';
import type { GatewayProfile } from './gateway-types.js';

/** Options of {@link createBasProfile}. */
export interface BasProfileOptions {
  state: BasState;
  /** Project of each authenticated TLS connection, set at handshake time (the mTLS product). */
  projectOf: (socket: TLSSocket) => string | undefined;
  /** The presented client certificate's fingerprint, for the request log. */
  certificateOf?: (socket: TLSSocket) => string | undefined;
  /**
   * The OAuth 1.0a product instead: authenticates each request by its signature (the Cross-Border
   * authenticator, shared nonce store). Absent, the client certificate authenticates.
   */
  authenticate?: GatewayProfile['authenticate'];
  /** JSON field holding the JWE, default `encryptedData` (api-facts §1.6). */
  encryptedFieldName: string;
  /** Refuse plaintext bodies (all five operations are `x-mastercard-api-encrypted`). */
  requireEncryption: boolean;
}

/** The Benefit Allocation flavour of the gateway: mTLS identity, `{"encryptedData": …}` bodies. */
export function createBasProfile(options: BasProfileOptions): GatewayProfile {
  const { state, encryptedFieldName } = options;
  return {
    listener: 'benefitAllocation',
    authenticate: options.authenticate ?? (async (request: IncomingMessage) => {
      const socket = request.socket as TLSSocket;
      // The gateway has checked the certificate step by step (clientCertificateSteps); what is
      // left is the project it belongs to.
      const project = options.projectOf(socket);
      if (project === undefined) {
        return { ok: false, reason: 'unknown client certificate', response: basError(401, 'UNAUTHORIZED', 'client certificate not recognised') };
      }
      const credential = options.certificateOf?.(socket);
      return credential === undefined ? { ok: true, project, method: 'mtls', steps: [] } : { ok: true, project, method: 'mtls', steps: [], credential };
    }),
    route: (method, fullPath) => findBasOperation(state, method, fullPath),
    locateJwe(body) {
      if (typeof body !== 'object' || body === null || !(encryptedFieldName in body)) return { kind: 'plain' };
      const token = (body as Record<string, unknown>)[encryptedFieldName];
      return typeof token === 'string' ? { kind: 'encrypted', token } : { kind: 'malformed' };
    },
    requiresEncryption: () => options.requireEncryption,
    wantsEncryptedResponse: (_request, requestWasEncrypted) => requestWasEncrypted,
    wrapJwe: (token) => ({ [encryptedFieldName]: token }),
    encryptedResponseHeaders: {},
    errors: {
      encryptionRequired: () =>
        basInvalid(`the request payload must be encrypted: send {"${encryptedFieldName}":"<JWE>"} encrypted to the sandbox request-encryption certificate`),
      decryptionFailed: () => basInvalid('the encrypted payload could not be decrypted'),
      malformedBody: () => basInvalid('the request body is not valid JSON'),
      malformedTarget: () => basError(400, 'INVALID_REQUEST', 'the request target is not a valid URL path'),
      tooLarge: () => basError(413, 'PAYLOAD_TOO_LARGE', 'request body too large'),
      unknownClientCertificate: () => basError(401, 'UNAUTHORIZED', 'client certificate not recognised'),
      fault: (status) =>
        status === 503
          ? basError(503, 'SERVICE_UNAVAILABLE', 'service temporarily unavailable', undefined, true)
          : basError(429, 'TOO_MANY_REQUESTS', 'too many requests', undefined, true),
    },
  };
}
