import type { IncomingMessage } from 'node:http';
import { type NonceStore, verifyOAuth1 } from '@mcapi/auth';
import type { DashboardLookups, SigningIdentity } from '../dashboard/dashboard.js';
import { gatewayError } from '../envelopes/cross-border-error.js';
import { listenerOrigin } from '../http/request-target.js';
import type { AuthOutcome } from './gateway-types.js';
import { REQUEST_TOKEN_CHECKS, type RequestTokenVerifier } from './request-token.js';
import { type VerificationStep, checkSteps, oauth1Steps } from './verification-steps.js';

/** Options of {@link createCrossBorderAuthenticator}. */
export interface CrossBorderAuthenticatorOptions {
  dashboard: DashboardLookups;
  now: () => number;
  maxSkewSeconds: number;
  /** Where OAuth 1.0a nonces are remembered (shared with the other replay checks). */
  nonceStore: NonceStore;
  /** Set when the request token (`Authorization: Bearer <jwt>`) is accepted. */
  requestTokens?: RequestTokenVerifier;
}

// Where Mastercard's gateway points in its 401 envelope, per failure.
const sources: Record<string, string> = {
  unknown_consumer_key: 'OAuth.ConsumerKey',
  body_hash_mismatch: 'OAuth.BodyHash',
  timestamp_out_of_window: 'OAuth.Timestamp',
  nonce_replayed: 'OAuth.Nonce',
  invalid_signature: 'OAuth.Signature',
};

/**
 * Authenticates Cross-Border calls: OAuth 1.0a through `verifyOAuth1` (body hash, timestamp
 * window, nonce replay, signature with the key registered for the consumer key), or a request
 * token when enabled. Failures answer 401 AUTHENTICATION_FAILED in the Mastercard envelope, with
 * "Acceptable signature base string: …" as the gateway does (mastercard-security.md §3).
 */
export function createCrossBorderAuthenticator(options: CrossBorderAuthenticatorOptions) {
  const { dashboard, now, maxSkewSeconds, nonceStore } = options;
  return async (request: IncomingMessage, body: Uint8Array, url: URL): Promise<AuthOutcome> => {
    const authorization = request.headers.authorization ?? '';
    if (/^Bearer\s/i.test(authorization)) {
      if (!options.requestTokens) {
        const description = 'Request tokens are not enabled on this sandbox; sign the request with OAuth 1.0a.';
        return { ...refuse('request token not enabled', 'Authorization', description), steps: requestTokenSteps({ check: ACCEPTED, detail: description }) };
      }
      // Balance APIs need an OAuth 2.0 access token, not a request token (mastercard-security.md §4).
      // Only the GETs of …/accounts[/{id}]: account validation and IBAN generation live under
      // …/accounts/ too and take request tokens like every other API.
      if (request.method === 'GET' && /\/crossborder\/accounts(\/[^/]+)?\/?$/.test(url.pathname)) {
        const description = 'Balance APIs do not accept request tokens.';
        return { ...refuse('request token on balance API', 'Authorization', description), steps: requestTokenSteps({ check: ACCEPTED, detail: description }) };
      }
      const result = await options.requestTokens.verify(authorization.replace(/^Bearer\s+/i, ''));
      if (!result.ok) {
        return { ...refuse(result.reason, 'Authorization', `Request token rejected: ${result.reason}.`), steps: requestTokenSteps({ check: result.check, detail: result.reason }) };
      }
      return { ok: true, project: result.project, method: 'request-token', steps: requestTokenSteps(), credential: result.consumerKey };
    }
    // The identity found for the signature check is the one the request is attributed to.
    let identity: SigningIdentity | undefined;
    const result = await verifyOAuth1({
      method: request.method ?? 'GET',
      // The listener's own origin and the target as received: the Host header is not trusted.
      expectedOrigin: listenerOrigin(request),
      url: request.url ?? '/',
      headers: request.headers,
      body,
      lookupKey: (consumerKey) => {
        identity = dashboard.signingIdentity(consumerKey);
        return identity?.certificate;
      },
      now,
      maxSkewSeconds,
      nonceStore,
    });
    if (!result.ok) {
      const description =
        result.signatureBaseString === undefined
          ? result.message
          : `${result.message} Acceptable signature base string: ${result.signatureBaseString}`;
      return { ...refuse(result.reason, sources[result.reason] ?? 'OAuth', description), steps: oauth1Steps(result) };
    }
    if (identity?.consumerKey !== result.consumerKey) return refuse('unknown_consumer_key', 'OAuth.ConsumerKey', 'The consumer key is not known.');
    return { ok: true, project: identity.project, method: 'oauth1', steps: oauth1Steps(result), credential: identity.consumerKey };
  };
}

// Before the token itself: whether this sandbox and this API take request tokens at all.
const ACCEPTED = 'request tokens accepted here';

function requestTokenSteps(failed?: { check: string; detail: string }): VerificationStep[] {
  return checkSteps([ACCEPTED, ...REQUEST_TOKEN_CHECKS], failed);
}

function refuse(reason: string, source: string, description: string): AuthOutcome {
  return { ok: false, reason, response: gatewayError(401, source, 'AUTHENTICATION_FAILED', description) };
}
