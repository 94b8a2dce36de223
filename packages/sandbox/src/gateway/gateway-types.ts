import type { IncomingMessage } from 'node:http';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { ListenerName } from './faults.js';
import type { VerificationStep } from './verification-steps.js';

/** Result of authenticating a gateway call; `steps` itemise the checks for the dashboard. */
export type AuthOutcome =
  | { ok: true; project: string; method: string; steps?: VerificationStep[]; credential?: string }
  | { ok: false; response: ServiceResponse; reason: string; steps?: VerificationStep[] };

/** Where a request's JWE sits, or why it could not be found. */
export type JweLocation = { kind: 'plain' } | { kind: 'encrypted'; token: string } | { kind: 'malformed' };

/** A resolved gateway route: the operation and its path parameters. */
export interface GatewayRoute {
  handler: (request: ServiceRequest) => ServiceResponse;
  params: Record<string, string>;
  path: string;
}

/** What differs between the Benefit Allocation and Cross-Border gateways. */
export interface GatewayProfile {
  listener: ListenerName;
  authenticate(request: IncomingMessage, body: Uint8Array, url: URL): Promise<AuthOutcome>;
  /** The service operation for a path, or the error to answer. */
  route(method: string, path: string): GatewayRoute | ServiceResponse;
  /** Finds the JWE in a parsed body. */
  locateJwe(body: unknown, request: IncomingMessage): JweLocation;
  /** The largest request body read for this path (default the gateway's). */
  maxBodyBytes?(method: string, path: string, fallback: number): number;
  /** True when a plaintext body must be refused on this route. */
  requiresEncryption(method: string, path: string): boolean;
  /** True when the response should be encrypted. */
  wantsEncryptedResponse(request: IncomingMessage, requestWasEncrypted: boolean): boolean;
  /** Puts a response JWE into the body form of this API. */
  wrapJwe(token: string): unknown;
  /** Extra headers of encrypted responses. */
  encryptedResponseHeaders: Record<string, string>;
  errors: {
    encryptionRequired(): ServiceResponse;
    decryptionFailed(): ServiceResponse;
    malformedBody(): ServiceResponse;
    /** The request target is not a URL (`GET http://[`): 400. */
    malformedTarget(): ServiceResponse;
    tooLarge(): ServiceResponse;
    fault(status: 503 | 429): ServiceResponse;
    /** The connection's client certificate is no longer registered (revoked after the handshake): 401. */
    unknownClientCertificate(): ServiceResponse;
  };
}
