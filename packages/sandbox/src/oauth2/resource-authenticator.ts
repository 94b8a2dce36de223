import type { IncomingMessage } from 'node:http';
import type { AuthOutcome } from '../gateway/gateway-types.js';
import { checkSteps } from '../gateway/verification-steps.js';
import type { ServiceResponse } from '../service-types.js';
import { verifyDpopProof } from './dpop-proof.js';
import { requestUrl } from './oauth2-http.js';
import type { OAuth2ServerContext } from './oauth2-server-context.js';

type Authenticate = (request: IncomingMessage, body: Uint8Array, url: URL) => Promise<AuthOutcome>;

/** Options of {@link createOAuth2ResourceAuthenticator}. */
export interface OAuth2ResourceAuthenticatorOptions {
  context: OAuth2ServerContext;
  /** The API's 401 envelope. */
  unauthorized: (description: string) => ServiceResponse;
  /** Sets a header on the response of `request` (`WWW-Authenticate`, `DPoP-Nonce`). */
  setHeader: (request: IncomingMessage, name: string, value: string) => void;
  /** Accept authorization code (Bearer) tokens on these paths: the Cross-Border balance APIs. */
  bearerPaths?: RegExp;
  /** Other credentials of this API (OAuth 1.0a, request token) for everything that is not OAuth 2.0. */
  fallback?: Authenticate;
}

const algs = 'algs="PS256 ES256"';

// The checks of each token kind, in the order they are made (shown step by step on the dashboard).
const PROOF_VALID = 'proof valid (htm, htu, ath, iat, nonce)';
const DPOP_CHECKS = ['access token known and DPoP-bound', 'access token unexpired', PROOF_VALID, 'proof signed by the token key', 'proof jti fresh'];
const BEARER_CHECKS = ['access token known', 'token not DPoP-bound', 'balance API', 'access token unexpired'];

/**
 * Authenticates resource calls with OAuth 2.0: `Authorization: DPoP <token>` plus a `DPoP` proof
 * over this exact method and URL, with `ath` of the token and signed by the key the token is
 * bound to (RFC 9449 §7.1); or, on the balance APIs, the Bearer token of the authorization code
 * flow. Failures answer 401 with `WWW-Authenticate: DPoP error="…"` in the API's envelope.
 */
export function createOAuth2ResourceAuthenticator(options: OAuth2ResourceAuthenticatorOptions): Authenticate {
  const { context } = options;
  return async (request, body, url) => {
    const refuse = (reason: string, challenge: string, description: string): AuthOutcome => {
      options.setHeader(request, 'www-authenticate', challenge);
      return { ok: false, reason, response: options.unauthorized(description) };
    };
    // A refusal at one check of `checks`: the earlier ones passed, the later ones were not reached.
    // The step's detail is the reason without its prefix (the log redacts anything shaped like
    // "DPoP <token>", which the descriptions contain).
    const refuseAt = (checks: readonly string[], check: string, reason: string, challenge: string, description: string): AuthOutcome => ({
      ...refuse(reason, challenge, description),
      steps: checkSteps(checks, { check, detail: reason.replace(/^oauth2: /, '') }),
    });
    const dpop = (check: string, reason: string, challenge: string, description: string) => refuseAt(DPOP_CHECKS, check, reason, challenge, description);
    const bearer = (check: string, reason: string, challenge: string, description: string) => refuseAt(BEARER_CHECKS, check, reason, challenge, description);
    const authorization = request.headers.authorization ?? '';
    const scheme = /^(\S+)\s+(\S+)$/.exec(authorization);
    const kind = scheme?.[1]?.toLowerCase();
    const token = scheme?.[2] ?? '';

    if (kind === 'dpop') {
      const record = context.grants.accessToken(token);
      if (record?.jkt === undefined || !context.clients.get(record.clientId)) {
        return dpop('access token known and DPoP-bound', 'oauth2: unknown token', `DPoP error="invalid_token", ${algs}`, 'The access token is unknown or was not issued as a DPoP token.');
      }
      if (context.now() >= record.expiresAt) {
        return dpop('access token unexpired', 'oauth2: expired token', `DPoP error="invalid_token", error_description="expired", ${algs}`, 'The access token has expired (they live 15 minutes); get a new one.');
      }
      const proof = await verifyDpopProof(
        { header: request.headers.dpop, method: request.method ?? 'GET', url: requestUrl(request), accessToken: token, requireNonce: false },
        context,
      );
      if (!proof.ok) {
        if (proof.error === 'use_dpop_nonce') {
          options.setHeader(request, 'dpop-nonce', context.nonces.current());
          return dpop(PROOF_VALID, `oauth2: ${proof.reason}`, `DPoP error="use_dpop_nonce", ${algs}`, 'Resource server requires a fresh nonce in the DPoP proof.');
        }
        return dpop(PROOF_VALID, `oauth2: ${proof.reason}`, `DPoP error="invalid_dpop_proof", ${algs}`, `DPoP proof rejected: ${proof.reason}.`);
      }
      if (proof.jkt !== record.jkt) {
        return dpop('proof signed by the token key', 'oauth2: proof key is not the token key', `DPoP error="invalid_token", ${algs}`, 'The DPoP proof is not signed by the key the access token is bound to.');
      }
      // Recorded only once the token's key signed it: the caller is authenticated.
      if (!(await proof.claim())) {
        return dpop('proof jti fresh', 'oauth2: proof jti replayed', `DPoP error="invalid_dpop_proof", ${algs}`, 'DPoP proof rejected: proof jti replayed.');
      }
      return { ok: true, project: record.project, method: 'oauth2-dpop', steps: checkSteps(DPOP_CHECKS, undefined, { 'access token known and DPoP-bound': `client ${record.clientId}` }) };
    }

    if (kind === 'bearer') {
      const record = context.grants.accessToken(token);
      if (record !== undefined && context.clients.get(record.clientId)) {
        // RFC 9449 §7.2: a DPoP-bound token presented as a Bearer token is refused.
        if (record.jkt !== undefined) {
          return bearer('token not DPoP-bound', 'oauth2: bound token sent as Bearer', `DPoP error="invalid_token", ${algs}`, 'This access token is DPoP-bound: send Authorization: DPoP <token> with a DPoP proof.');
        }
        if (!options.bearerPaths?.test(url.pathname)) {
          return bearer('balance API', 'oauth2: bearer token outside balance APIs', 'Bearer error="insufficient_scope"', 'Authorization code tokens are only accepted by the balance APIs.');
        }
        if (context.now() >= record.expiresAt) {
          return bearer('access token unexpired', 'oauth2: expired token', 'Bearer error="invalid_token", error_description="expired"', 'The access token has expired (they live 15 minutes); refresh it.');
        }
        return { ok: true, project: record.project, method: 'oauth2-bearer', steps: checkSteps(BEARER_CHECKS, undefined, { 'access token known': `client ${record.clientId}` }) };
      }
      if (options.bearerPaths?.test(url.pathname)) {
        return bearer('access token known', 'oauth2: unknown bearer token', 'Bearer error="invalid_token"', 'The access token is unknown, expired or revoked; refresh it.');
      }
    }

    if (options.fallback && authorization !== '' && kind !== 'dpop') return options.fallback(request, body, url);
    return refuse('oauth2: no credentials', `DPoP ${algs}`, 'Send Authorization: DPoP <access token> with a DPoP proof (RFC 9449).');
  };
}
