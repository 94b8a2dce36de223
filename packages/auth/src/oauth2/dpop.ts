import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { isExternalPrivateKey, jwkThumbprint, toPublicKey } from '@mcapi/keys';
import type { JWK } from 'jose';
import { type JwtSigningKey, signJwt } from '../jws/sign-jwt.js';
import { type Fapi2Algorithm, fapi2AlgorithmFor } from './jws-algorithm.js';

/** Inputs of one DPoP proof. */
export interface DpopProofInput {
  /** HTTP method of the request. */
  method: string;
  /** Request URL; query and fragment are removed for `htu` (RFC 9449 §4.2). */
  url: string | URL;
  /** Server-provided nonce, when one is known. */
  nonce?: string | undefined;
  /** Access token the request carries: adds `ath` (resource calls). */
  accessToken?: string | undefined;
}

/** Makes DPoP proofs with one key. */
export interface DpopProofer {
  /** RFC 7638 thumbprint of the public key: what tokens are bound to (`cnf.jkt`). */
  readonly thumbprint: string;
  readonly algorithm: Fapi2Algorithm;
  proof(input: DpopProofInput, nowSeconds: number): Promise<string>;
}

/**
 * `htu`: the URL without query and fragment (RFC 9449 §4.2).
 *
 * @example
 * ```ts
 * dpopTargetUri('https://api.example.com/a/b?x=1#f'); // 'https://api.example.com/a/b'
 * ```
 */
export function dpopTargetUri(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * `ath`: base64url SHA-256 of the ASCII access token (RFC 9449 §4.2), for servers checking proofs.
 *
 * @example
 * ```ts
 * if (proof.ath !== accessTokenHash(token)) reject();
 * ```
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** A DPoP proofer over `key`, or over a freshly generated P-256 key when none is given. */
export function createDpopProofer(key: JwtSigningKey | undefined, option = 'options.dpopKey'): DpopProofer {
  const privateKey = key ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const algorithm = fapi2AlgorithmFor(privateKey, option);
  const publicKey = isExternalPrivateKey(privateKey) ? privateKey.publicKey : toPublicKey(privateKey);
  const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
  const header = { alg: algorithm, typ: 'dpop+jwt', jwk: publicJwk };
  return {
    thumbprint: jwkThumbprint(publicKey),
    algorithm,
    proof(input, nowSeconds) {
      const claims: Record<string, string | number> = {
        jti: randomUUID(),
        htm: input.method.toUpperCase(),
        htu: dpopTargetUri(input.url),
        iat: nowSeconds,
      };
      if (input.nonce !== undefined) claims.nonce = input.nonce;
      if (input.accessToken !== undefined) claims.ath = accessTokenHash(input.accessToken);
      return signJwt(header, claims, privateKey);
    },
  };
}
