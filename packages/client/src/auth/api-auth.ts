import { createAuthorizationCodeClient, createFapi2Client } from '@mcapi/auth';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { Transport } from '../pipeline/types.js';
import { type ApiTransportOptions, createApiTransport } from '../transport/api-transport.js';
import { type OAuth1Credentials, oauth1Authorizer, type RequestTokenCredentials, requestTokenAuthorizer } from './authorizers.js';
import { type BalanceCredentials, isCodeClient, type OAuth2Credentials, oauth2Authorizer, withBalanceAuthorizer } from './oauth2-authorizers.js';
import { transportFetch } from './oauth2-token-fetch.js';
import { TOKEN_TRANSPORT_CONNECTIONS } from '../config/defaults.js';
import type { Followed } from '../config/last-derived.js';

/**
 * How one API's calls authenticate in headers, as `resolveConfig` chose it (credentials checked).
 * Credentials as a function are a keyring's signing key, read per attempt.
 */
export type AuthConfig =
  | { method: 'oauth1'; credentials: Followed<OAuth1Credentials> }
  | { method: 'request-token'; credentials: Followed<RequestTokenCredentials> }
  | { method: 'oauth2'; credentials: OAuth2Credentials }
  | { method: 'custom'; authorizer: Authorizer };

/** One API's header authentication; both absent when the transport (mTLS) authenticates. */
export interface ApiAuthConfig {
  auth?: AuthConfig;
  /** Cross-Border balance APIs: the authorization code flow's token instead of `auth`. */
  balances?: BalanceCredentials;
}

/** The authorizer of one API and what it opened (token-endpoint connections), closed with the client. */
export interface ApiAuth {
  authorizer: Authorizer | undefined;
  close(): Promise<void>;
}

/**
 * Turns resolved credentials into the authorizer the pipeline signs every attempt with. OAuth 2.0
 * token requests go through a transport of their own with the API's trusted roots, dispatcher and
 * timeout (unless the credentials bring a `fetch`); `close()` closes it.
 *
 * @example
 * ```ts
 * const { authorizer, close } = createApiAuth({ auth: { method: 'oauth1', credentials } }, { timeoutMs: 60_000 });
 * ```
 */
export function createApiAuth(config: ApiAuthConfig, tokenTransport: ApiTransportOptions): ApiAuth {
  const owned: Transport[] = [];
  // A `fetch` over a transport of ours, opened only for credentials that bring none.
  const withTokenFetch = <T extends { fetch?: unknown }>(options: T): T => {
    if (options.fetch !== undefined) return options;
    const transport = createApiTransport({ ...tokenTransport, connections: TOKEN_TRANSPORT_CONNECTIONS }).transport;
    owned.push(transport);
    return { ...options, fetch: transportFetch(transport) };
  };
  const base = config.auth === undefined ? undefined : baseAuthorizer(config.auth, withTokenFetch);
  const balances = config.balances;
  const authorizer =
    balances === undefined
      ? base
      : withBalanceAuthorizer(base, isCodeClient(balances) ? balances : createAuthorizationCodeClient(withTokenFetch(balances)));
  return {
    authorizer,
    async close() {
      await Promise.all(owned.map((transport) => transport.close?.()));
    },
  };
}

function baseAuthorizer(auth: AuthConfig, withTokenFetch: <T extends { fetch?: unknown }>(options: T) => T): Authorizer {
  switch (auth.method) {
    case 'oauth1':
      return oauth1Authorizer(auth.credentials);
    case 'request-token':
      return requestTokenAuthorizer(auth.credentials);
    case 'oauth2':
      return oauth2Authorizer('client' in auth.credentials ? auth.credentials.client : createFapi2Client(withTokenFetch(auth.credentials)));
    case 'custom':
      return auth.authorizer;
  }
}
