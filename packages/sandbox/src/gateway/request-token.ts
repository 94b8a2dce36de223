import { certificateFingerprint, jwkThumbprint } from '@mcapi/keys';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import type { NonceStore } from '@mcapi/auth';
import { claimUntil } from '../replay.js';

// The Cross-Border request token of MTS EU/UK customers (mastercard-security.md §4): a JWT per
// request, header `kid` = consumer key and `x5c` = [signing certificate], claims iat/nbf/exp
// (+15 min)/jti, sent as `Authorization: Bearer <jwt>`.

/** Longest lifetime a request token may claim. */
const MAX_LIFETIME_SECONDS = 15 * 60;

/** The checks of a request token, in the order {@link RequestTokenVerifier.verify} makes them. */
export const REQUEST_TOKEN_CHECKS = [
  'token well-formed',
  'consumer key registered',
  'x5c is the registered signing certificate',
  'signature and validity times',
  'lifetime at most 15 minutes',
  'jti fresh',
] as const;

type RequestTokenCheck = (typeof REQUEST_TOKEN_CHECKS)[number];

/** Outcome of {@link RequestTokenVerifier.verify}; a failure names the check that stopped it. */
export type RequestTokenResult = { ok: true; project: string; consumerKey: string } | { ok: false; reason: string; check: RequestTokenCheck };

const refuse = (check: RequestTokenCheck, reason: string): RequestTokenResult => ({ ok: false, reason, check });

/** Verifies request tokens and remembers their `jti`s until they expire. */
export interface RequestTokenVerifier {
  verify(token: string): Promise<RequestTokenResult>;
}

/**
 * Creates a verifier that checks tokens against the dashboard's registered signing certificates.
 * A token does not name the listener it is for, so one verifier (one `jti` memory) must serve
 * every listener that accepts request tokens, or a token could be replayed on another one.
 */
export function createRequestTokenVerifier(
  dashboard: DashboardLookups,
  maxSkewSeconds: number,
  clock: () => number,
  seen: NonceStore,
): RequestTokenVerifier {
  return {
    async verify(token) {
      const now = clock();
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        return refuse('token well-formed', 'malformed token');
      }
      if (typeof header.kid !== 'string') return refuse('token well-formed', 'missing kid');
      const identity = dashboard.signingIdentity(header.kid);
      if (!identity) return refuse('consumer key registered', 'unknown consumer key');
      // The x5c certificate must be the one registered for this consumer key, not merely valid.
      const [first] = header.x5c ?? [];
      if (typeof first !== 'string' || !Buffer.from(first, 'base64').equals(identity.certificate.raw)) {
        return refuse('x5c is the registered signing certificate', 'x5c is not the registered signing certificate');
      }
      const thumbprint = header['x5t#S256'];
      // Mastercard's generator writes the RFC 7638 thumbprint of the public key here
      // (mastercard-security.md §7); RFC 7515 §4.1.8 says the certificate's SHA-256. Both name
      // the registered certificate, so both are accepted; anything else is refused.
      if (
        thumbprint !== undefined &&
        thumbprint !== jwkThumbprint(identity.certificate) &&
        thumbprint !== certificateFingerprint(identity.certificate, 'base64url')
      ) {
        return refuse('x5c is the registered signing certificate', 'x5t#S256 does not match x5c');
      }
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, identity.publicKey, {
          algorithms: ['RS256', 'ES256'],
          typ: 'JWT',
          currentDate: new Date(now),
          clockTolerance: maxSkewSeconds,
          requiredClaims: ['iat', 'exp', 'jti'],
        }));
      } catch (error) {
        return refuse('signature and validity times', `invalid token (${(error as { code?: string }).code ?? 'verification failed'})`);
      }
      if (payload.exp! - payload.iat! > MAX_LIFETIME_SECONDS) return refuse('lifetime at most 15 minutes', 'token lifetime over 15 minutes');
      // Remembered until the token could no longer pass the exp check (exp + tolerance).
      // The signature is verified, so the caller is who the token names: only now is the jti recorded.
      if (!(await claimUntil(seen, `request-token|${header.kid}|${payload.jti}`, (payload.exp! + maxSkewSeconds) * 1000, now))) {
        return refuse('jti fresh', 'replayed jti');
      }
      return { ok: true, project: identity.project, consumerKey: identity.consumerKey };
    },
  };
}
