import { type KeyObject, generateKeyPairSync, randomUUID } from 'node:crypto';
import { jwkThumbprint } from '@mcapi/keys';
import { type JWK, SignJWT, exportJWK } from 'jose';

/** Claims of a DPoP-bound access token. */
export interface AccessTokenClaims {
  issuer: string;
  clientId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  /** RFC 7638 thumbprint of the DPoP key (RFC 9449 §6.1 `cnf.jkt`). */
  jkt: string;
}

/** Signs access tokens as JWTs (RFC 9068) so their binding can be inspected; publishes the key. */
export interface AccessTokenSigner {
  sign(claims: AccessTokenClaims): Promise<string>;
  /** `{"keys":[…]}` for `/oauth2/jwks`. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/**
 * A signer with its own P-256 key (ES256), generated per sandbox run: tokens do not outlive the
 * in-memory grant store anyway, and the TLS key stays a TLS key.
 */
export function createAccessTokenSigner(): AccessTokenSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = jwkThumbprint(publicKey);
  return {
    sign(claims) {
      // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; typ "at+jwt".
      return new SignJWT({ client_id: claims.clientId, scope: claims.scope, cnf: { jkt: claims.jkt }, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .setIssuer(claims.issuer)
        .setSubject(claims.clientId)
        .setAudience(claims.issuer)
        .setIssuedAt(Math.floor(claims.issuedAt / 1000))
        .setExpirationTime(Math.floor(claims.expiresAt / 1000))
        .sign(privateKey as KeyObject);
    },
    async jwks() {
      return { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
    },
  };
}
