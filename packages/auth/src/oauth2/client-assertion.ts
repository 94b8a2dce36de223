import { randomUUID } from 'node:crypto';
import { type JwtSigningKey, signJwt } from '../jws/sign-jwt.js';
import type { Fapi2Algorithm } from './jws-algorithm.js';

/** Lifetime of a private_key_jwt client assertion: short, as FAPI 2.0 expects (≈ 90 s). */
export const clientAssertionLifetimeSeconds = 90;

export const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionInput {
  clientId: string;
  kid: string;
  /** The authorization server's issuer identifier. */
  audience: string;
  signingKey: JwtSigningKey;
  algorithm: Fapi2Algorithm;
  nowSeconds: number;
}

/**
 * A private_key_jwt client assertion (RFC 7523 §3, FAPI 2.0): `iss` = `sub` = client id, `aud` =
 * issuer, a fresh `jti`, `iat`, `nbf`, `exp` ≈ +90 s, header `kid`.
 */
export function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  const claims = {
    jti: randomUUID(),
    iss: input.clientId,
    sub: input.clientId,
    aud: input.audience,
    iat: input.nowSeconds,
    nbf: input.nowSeconds,
    exp: input.nowSeconds + clientAssertionLifetimeSeconds,
  };
  return signJwt({ alg: input.algorithm, kid: input.kid, typ: 'JWT' }, claims, input.signingKey);
}
