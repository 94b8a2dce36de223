import type { AuthorizationCodeClient, AuthorizationCodeClientOptions, Fapi2Client, Fapi2ClientOptions } from '@mcapi/auth';
import { McapiError } from '@mcapi/errors';
import type { Authorizer } from '../pipeline/authorize-step.js';

/** How Cross-Border calls authenticate: OAuth 1.0a, the request token (MTS EU/UK) or OAuth 2.0 (FAPI 2.0). */
export type CrossBorderAuth = 'oauth1' | 'request-token' | 'oauth2';

/**
 * FAPI 2.0 credentials (`createFapi2Client` of `@mcapi/auth`): client id, key id and private key
 * for private_key_jwt, the token endpoint and issuer; a DPoP key is generated when none is given.
 * Token requests go through the client's own transport (same `ca`) unless `fetch` is given.
 */
export type OAuth2Credentials = Fapi2ClientOptions | { client: Fapi2Client };

/** The authorization code client of the balance APIs, or its options (Cross-Border balances). */
export type BalanceCredentials = AuthorizationCodeClient | AuthorizationCodeClientOptions;

/**
 * An {@link Authorizer} for DPoP-bound OAuth 2.0 access tokens (RFC 9449): every attempt gets
 * `Authorization: DPoP <token>` and a fresh `DPoP` proof over its exact method and URL (`htu`
 * without the query), with `ath`; the token is cached and refreshed by `@mcapi/auth`. The
 * authorizer rejects with the FAPI 2.0 client's codes (`ERR_OAUTH2_TOKEN`, `ERR_INVALID_OPTION`).
 *
 * @example
 * ```ts
 * const authorizer = oauth2Authorizer(createFapi2Client({ clientId, kid, signingKey, issuer, tokenEndpoint }));
 * ```
 */
export function oauth2Authorizer(fapi: Fapi2Client): Authorizer {
  return async ({ method, url }) => {
    const { authorization, dpop } = await fapi.authorize({ method, url });
    return { authorization, dpop };
  };
}

// The Cross-Border balance APIs take the authorization code flow's token (mastercard-security.md §4).
// They are the GETs of `…/crossborder/accounts[/{id}]`; account validation and IBAN generation
// (POST `…/accounts/validations`, `…/accounts/generate-ibans`) are not balance APIs.
const balancePath = /\/crossborder\/accounts(\/[^/]+)?\/?$/;
const isBalanceCall = (method: string, url: string) => method === 'GET' && balancePath.test(new URL(url).pathname);

/**
 * Routes the balance calls (`…/crossborder/accounts…`) to the authorization code client
 * (`Authorization: Bearer …`, refreshed before its 15-minute expiry) and everything else to
 * `base`.
 *
 * @example
 * ```ts
 * const authorizer = withBalanceAuthorizer(oauth1Authorizer(credentials), createAuthorizationCodeClient(options));
 * ```
 */
export function withBalanceAuthorizer(base: Authorizer | undefined, codeClient: AuthorizationCodeClient): Authorizer {
  return async (request) => {
    if (isBalanceCall(request.method, request.url)) return { authorization: await codeClient.authorize() };
    if (base === undefined) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        'createClient: only the balance APIs are configured for Cross-Border (crossBorder.balances); add oauth1, requestToken or oauth2 for the others.',
      );
    }
    return base(request);
  };
}

/** True for a built authorization code client (rather than its options). */
export function isCodeClient(value: BalanceCredentials): value is AuthorizationCodeClient {
  return typeof (value as AuthorizationCodeClient).authorize === 'function' && typeof (value as AuthorizationCodeClient).exchangeCode === 'function';
}
