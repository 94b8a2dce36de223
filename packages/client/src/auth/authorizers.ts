import type { KeyObject, X509Certificate } from 'node:crypto';
import type { ExternalPrivateKey } from '@mcapi/keys';
import { createOAuth1Signer, createRequestTokenSigner, type OAuth1SigningKey } from '@mcapi/auth';
import { type Followed, lastDerived } from '../config/last-derived.js';
import type { Authorizer } from '../pipeline/authorize-step.js';

/** OAuth 1.0a credentials: the consumer key from the dashboard and the signing key. */
export interface OAuth1Credentials {
  consumerKey: string;
  /** RSA private key, or a signing function (HSM / KMS). */
  signingKey: OAuth1SigningKey;
}

/** Cross-Border request token credentials (MTS EU/UK customers): a fresh JWT per request. */
export interface RequestTokenCredentials {
  consumerKey: string;
  /** RSA private key, or a key held in an HSM (`ExternalPrivateKey`). */
  signingKey: KeyObject | ExternalPrivateKey;
  /** The signing certificate, sent in `x5c`. */
  certificate: X509Certificate;
}

/**
 * An {@link Authorizer} signing each attempt with OAuth 1.0a (`@mcapi/auth`), over the exact body
 * sent (the encrypted wrapper). Credentials given as a function (a keyring's signing key) are read
 * per attempt; the signer is rebuilt only when they are a new object (after a rotation).
 *
 * @example
 * ```ts
 * authorizeStep(oauth1Authorizer({ consumerKey, signingKey }));
 * ```
 */
export function oauth1Authorizer(credentials: Followed<OAuth1Credentials>): Authorizer {
  const signerOf = (given: OAuth1Credentials) => createOAuth1Signer({ consumerKey: given.consumerKey, signingKey: given.signingKey });
  const current = followedSigner(credentials, signerOf);
  return async ({ method, url, body }) => ({
    authorization: await current().authorize(body === undefined ? { method, url } : { method, url, body }),
  });
}

/**
 * An {@link Authorizer} sending a fresh Cross-Border request token (`Authorization: Bearer <jwt>`)
 * on every attempt.
 *
 * @example
 * ```ts
 * authorizeStep(requestTokenAuthorizer({ consumerKey, signingKey, certificate }));
 * ```
 */
export function requestTokenAuthorizer(credentials: Followed<RequestTokenCredentials>): Authorizer {
  const current = followedSigner(credentials, createRequestTokenSigner);
  return async () => {
    const value = await current().authorize();
    return { authorization: value.startsWith('Bearer ') ? value : `Bearer ${value}` };
  };
}

// The signer of fixed credentials, built once; of followed ones, rebuilt when they change.
function followedSigner<C extends object, S>(credentials: Followed<C>, build: (credentials: C) => S): () => S {
  if (typeof credentials !== 'function') {
    const signer = build(credentials);
    return () => signer;
  }
  const read = credentials as () => C;
  const signerOf = lastDerived(build);
  return () => signerOf(read());
}
