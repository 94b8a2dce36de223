import { accessTokenHash, dpopTargetUri } from '@mcapi/auth';
import { EmbeddedJWK, type JWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify } from 'jose';
import type { DpopNonces } from './dpop-nonces.js';
import type { NonceStore } from '@mcapi/auth';
import { claimUntil } from '../replay.js';

/** How old (and how far in the future) a proof's `iat` may be, in seconds. */
export const DPOP_PROOF_MAX_AGE_SECONDS = 300;
const FUTURE_SKEW_SECONDS = 60;
const MAX_PROOF_LENGTH = 8192;

/** What a DPoP proof is checked against. */
export interface DpopCheck {
  /** Every `DPoP` header value of the request (RFC 9449 §4.3: exactly one). */
  header: string | string[] | undefined;
  method: string;
  /** The URL the request was received on (query and fragment are ignored). */
  url: string;
  /** The access token the request carries: the proof must have the matching `ath`. */
  accessToken?: string;
  /** Demand the server's current nonce (RFC 9449 §8). */
  requireNonce: boolean;
}

/** Outcome of {@link verifyDpopProof}. */
export type DpopResult =
  | {
      ok: true;
      jkt: string;
      /** Records the proof's `jti`: call it once the caller is authenticated; false means a replay. */
      claim(): Promise<boolean>;
    }
  | { ok: false; error: 'invalid_dpop_proof' | 'use_dpop_nonce'; reason: string };

/**
 * Checks one DPoP proof as RFC 9449 §4.3 lists: one header, `typ: dpop+jwt`, an asymmetric
 * `alg` (PS256/ES256), the signature under the public `jwk` of its header (jose's `EmbeddedJWK`
 * refuses private keys), `htm`, `htu` without query/fragment, `iat` within five minutes, `ath`
 * for resource calls and the server nonce when demanded. The `jti` (never seen before, §11.1) is
 * recorded by the caller through `claim()` once the client or token is authenticated, so a
 * stranger's proof neither fills the replay store nor burns a legitimate client's proof.
 */
export async function verifyDpopProof(
  check: DpopCheck,
  context: { now: () => number; nonces: DpopNonces; replay: NonceStore },
): Promise<DpopResult> {
  const invalid = (reason: string): DpopResult => ({ ok: false, error: 'invalid_dpop_proof', reason });
  if (check.header === undefined) return invalid('missing proof');
  if (Array.isArray(check.header)) return invalid('more than one DPoP header');
  const proof = check.header;
  if (proof.length > MAX_PROOF_LENGTH) return invalid('proof too large');
  let jwk: JWK;
  try {
    const header = decodeProtectedHeader(proof);
    if (typeof header.jwk !== 'object' || header.jwk === null) return invalid('proof without jwk header');
    jwk = header.jwk;
  } catch {
    return invalid('malformed proof');
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['PS256', 'ES256'],
      currentDate: new Date(context.now()),
      // iat is checked below: five minutes into the past, one minute into the future.
      clockTolerance: FUTURE_SKEW_SECONDS,
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
    }));
  } catch (error) {
    return invalid(`proof rejected (${(error as { code?: string }).code ?? 'verification failed'})`);
  }
  const age = Math.floor(context.now() / 1000) - (payload.iat as number);
  if (age > DPOP_PROOF_MAX_AGE_SECONDS) return invalid('proof iat is more than 5 minutes old');
  if (age < -FUTURE_SKEW_SECONDS) return invalid('proof iat is in the future');
  if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 256) return invalid('proof jti must be a unique string');
  if (payload.htm !== check.method) return invalid('proof htm does not match the request method');
  if (typeof payload.htu !== 'string' || !sameTarget(payload.htu, check.url)) return invalid('proof htu does not match the request URL');
  if (check.accessToken !== undefined && payload.ath !== accessTokenHash(check.accessToken)) {
    return invalid('proof ath does not match the access token');
  }
  if (check.accessToken === undefined && payload.ath !== undefined) return invalid('proof ath on a token request');
  if (payload.nonce !== undefined || check.requireNonce) {
    if (!context.nonces.accepts(payload.nonce)) {
      return { ok: false, error: 'use_dpop_nonce', reason: payload.nonce === undefined ? 'proof nonce required' : 'proof nonce stale' };
    }
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  // Remembered until the iat check would refuse the proof anyway.
  const expiresAt = ((payload.iat as number) + DPOP_PROOF_MAX_AGE_SECONDS + FUTURE_SKEW_SECONDS) * 1000;
  const key = `dpop|${jkt}|${payload.jti}`;
  return { ok: true, jkt, claim: () => claimUntil(context.replay, key, expiresAt, context.now()) };
}

function sameTarget(htu: string, url: string): boolean {
  try {
    return dpopTargetUri(htu) === dpopTargetUri(url);
  } catch {
    return false;
  }
}
