import type { X509Certificate } from 'node:crypto';
import * as auth from '@mcapi/auth';
import { createOAuth1Signer, type OAuth1SigningKey } from '@mcapi/auth';
import { McapiError } from '@mcapi/errors';
import type { Authorizer } from '../pipeline/authorize-step.js';

/** OAuth 1.0a credentials: the consumer key from the dashboard and the signing key. */
export interface OAuth1Credentials {
  consumerKey: string;
  /** RSA private key, or a signing function (HSM / KMS). */
  signingKey: OAuth1SigningKey;
}

/** Cross-Border request token credentials (MTS EU/UK customers): a fresh JWT per request. */
export interface RequestTokenCredentials extends OAuth1Credentials {
  /** The signing certificate, sent in `x5c`. */
  certificate: X509Certificate;
}

// The request-token signer of @mcapi/auth (issue #4) is read through the namespace so this
// package keeps loading while that part is still being written.
interface AuthModule {
  createRequestTokenSigner?: (options: RequestTokenCredentials) => unknown;
}

function authModule(): AuthModule {
  return auth as unknown as AuthModule;
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
 * An {@link Authorizer} sending a fresh Cross-Border request token (`Authorization: Bearer <jwt>`).
 *
 * @example
 * ```ts
 * authorizeStep(requestTokenAuthorizer({ consumerKey, signingKey, certificate }));
 * ```
 */
export function requestTokenAuthorizer(credentials: RequestTokenCredentials): Authorizer {
  const create = authModule().createRequestTokenSigner;
  if (create === undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'requestToken: this build of @mcapi/auth has no createRequestTokenSigner.');
  }
  const signer = create(credentials) as {
    authorize?: (request: { method: string; url: string }) => Promise<string>;
    sign?: () => Promise<string>;
  };
  return async ({ method, url }) => {
    const value = signer.authorize ? await signer.authorize({ method, url }) : await signer.sign!();
    return { authorization: value.startsWith('Bearer ') ? value : `Bearer ${value}` };
  };
}
