import { type KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Fapi2Algorithm } from './jws-algorithm.js';

/** Lifetime of a private_key_jwt client assertion: short, as FAPI 2.0 expects (≈ 90 s). */
export const clientAssertionLifetimeSeconds = 90;

export const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionInput {
  clientId: string;
  kid: string;
  /** The authorization server's issuer identifier. */
  audience: string;
  signingKey: KeyObject;
  algorithm: Fapi2Algorithm;
  nowSeconds: number;
}

/**
 * A private_key_jwt client assertion (RFC 7523 §3, FAPI 2.0): `iss` = `sub` = client id, `aud` =
 * issuer, a fresh `jti`, `iat`, `nbf`, `exp` ≈ +90 s, header `kid`.
 */
export function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: input.algorithm, kid: input.kid, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setIssuedAt(input.nowSeconds)
    .setNotBefore(input.nowSeconds)
    .setExpirationTime(input.nowSeconds + clientAssertionLifetimeSeconds)
    .sign(input.signingKey);
}
