import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): keep `codeVerifier` for the exchange, send the challenge to login. */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/**
 * A fresh PKCE pair: 32 random bytes as a base64url verifier (43 characters) and its S256
 * challenge.
 *
 * @example
 * ```ts
 * const pkce = createPkce();
 * loginUrl.searchParams.set('code_challenge', pkce.codeChallenge);
 * loginUrl.searchParams.set('code_challenge_method', 'S256');
 * // later: await client.exchangeCode({ code, codeVerifier: pkce.codeVerifier });
 * ```
 */
export function createPkce(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'), codeChallengeMethod: 'S256' };
}
