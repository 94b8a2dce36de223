import type { KeyObject, X509Certificate } from 'node:crypto';
import type { ExternalPrivateKey } from '@mcapi/keys';
import { createOAuth1Signer, createRequestTokenSigner, type OAuth1SigningKey } from '@mcapi/auth';
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
 * sent (the encrypted wrapper).
 *
 * @example
 * ```ts
 * authorizeStep(oauth1Authorizer({ consumerKey, signingKey }));
 * ```
 */
export function oauth1Authorizer(credentials: OAuth1Credentials): Authorizer {
  const signer = createOAuth1Signer({ consumerKey: credentials.consumerKey, signingKey: credentials.signingKey });
  return async ({ method, url, body }) => ({
    authorization: await signer.authorize(body === undefined ? { method, url } : { method, url, body }),
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
export function requestTokenAuthorizer(credentials: RequestTokenCredentials): Authorizer {
  const signer = createRequestTokenSigner(credentials);
  return async () => {
    const value = await signer.authorize();
    return { authorization: value.startsWith('Bearer ') ? value : `Bearer ${value}` };
  };
}
