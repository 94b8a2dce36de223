import {
  type AuthorizationCodeClient,
  type AuthorizationCodeClientOptions,
  type Fapi2Client,
  type Fapi2ClientOptions,
  createAuthorizationCodeClient,
  createFapi2Client,
} from '@mcapi/auth';
import { McapiError } from '@mcapi/errors';
import type { LoadedKey } from '@mcapi/keys';
import type { CaSource } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { ClientOptions } from '../client/create-client.js';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { Transport } from '../pipeline/types.js';
import { createApiTransport } from '../transport/api-transport.js';
import { type OAuth1Credentials, type RequestTokenCredentials, oauth1Authorizer, requestTokenAuthorizer } from './authorizers.js';
import { transportFetch } from './oauth2-token-fetch.js';

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

/** What {@link selectCrossBorderAuthorizer} needs from the client options. */
export interface CrossBorderAuthInputs {
  auth?: CrossBorderAuth | undefined;
  oauth1?: OAuth1Credentials | undefined;
  requestToken?: RequestTokenCredentials | undefined;
  oauth2?: OAuth2Credentials | undefined;
  /** The keyring's active signing key, when there is a keyring. */
  keyringSigning?: (() => LoadedKey | undefined) | undefined;
  /** Token endpoint transport settings (as the Cross-Border transport's). */
  ca?: CaSource | undefined;
  dispatcher?: Dispatcher | undefined;
  timeoutMs: number;
}

// Transports opened for token requests, closed with the client (see closeAuthorizerResources).
const resources = new WeakMap<Authorizer, Transport[]>();

/**
 * An {@link Authorizer} for DPoP-bound OAuth 2.0 access tokens (RFC 9449): every attempt gets
 * `Authorization: DPoP <token>` and a fresh `DPoP` proof over its exact method and URL (`htu`
 * without the query), with `ath`; the token is cached and refreshed by `@mcapi/auth`.
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

/**
 * Picks the Cross-Border authorizer when `crossBorder.auth` or `oauth2` asks for one; returns
 * undefined to leave the default choice (OAuth 1.0a, or `requestToken` when given) to the caller.
 */
export function selectCrossBorderAuthorizer(inputs: CrossBorderAuthInputs): Authorizer | undefined {
  const auth = inputs.auth ?? (inputs.oauth2 === undefined ? undefined : 'oauth2');
  if (auth === undefined) return undefined;
  const signing = () => inputs.keyringSigning?.();
  switch (auth) {
    case 'oauth2': {
      if (inputs.oauth2 === undefined) throw invalid('crossBorder.auth is "oauth2" but no oauth2 credentials were given');
      const owned: Transport[] = [];
      const fapi = 'client' in inputs.oauth2 ? inputs.oauth2.client : createFapi2Client(withTokenFetch(inputs.oauth2, inputs, owned));
      const authorizer = oauth2Authorizer(fapi);
      resources.set(authorizer, owned);
      return authorizer;
    }
    case 'request-token': {
      const key = inputs.requestToken ? undefined : signing();
      const credentials =
        inputs.requestToken ??
        (key?.entry.consumerKey && key.privateKey && key.certificate
          ? { consumerKey: key.entry.consumerKey, signingKey: key.privateKey, certificate: key.certificate }
          : undefined);
      if (credentials === undefined) throw invalid('crossBorder.auth is "request-token": give requestToken, or a keyring whose signing key has a consumer key and certificate');
      return requestTokenAuthorizer(credentials);
    }
    case 'oauth1': {
      const key = inputs.oauth1 ? undefined : signing();
      const credentials = inputs.oauth1 ?? (key?.entry.consumerKey && key.privateKey ? { consumerKey: key.entry.consumerKey, signingKey: key.privateKey } : undefined);
      if (credentials === undefined) throw invalid('crossBorder.auth is "oauth1": give oauth1, or a keyring whose signing key has a consumer key');
      return oauth1Authorizer(credentials);
    }
    default:
      throw invalid('crossBorder.auth must be "oauth1", "request-token" or "oauth2"');
  }
}

// The Cross-Border balance APIs take the authorization code flow's token (mastercard-security.md §4).
const balancePath = /\/crossborder\/accounts(\/|\?|$)/;

/**
 * Routes the balance calls (`…/crossborder/accounts…`) to the authorization code client
 * (`Authorization: Bearer …`, refreshed before its 15-minute expiry) and everything else to
 * `base`. Without `balances`, `base` is returned unchanged.
 *
 * @example
 * ```ts
 * const authorizer = withBalanceAuthorizer(oauth1Authorizer(credentials), createAuthorizationCodeClient(options), inputs);
 * ```
 */
export function withBalanceAuthorizer(
  base: Authorizer | undefined,
  balances: BalanceCredentials | undefined,
  inputs: Pick<CrossBorderAuthInputs, 'ca' | 'dispatcher' | 'timeoutMs'>,
): Authorizer | undefined {
  if (balances === undefined) return base;
  const owned: Transport[] = [];
  const codeClient = isCodeClient(balances) ? balances : createAuthorizationCodeClient(withTokenFetch(balances, inputs, owned));
  const authorizer: Authorizer = async (request) => {
    if (balancePath.test(new URL(request.url).pathname)) return { authorization: await codeClient.authorize() };
    if (base === undefined) throw invalid('only the balance APIs are configured for Cross-Border (crossBorder.balances); add oauth1, requestToken or oauth2 for the others');
    return base(request);
  };
  resources.set(authorizer, [...owned, ...((base && resources.get(base)) ?? [])]);
  return authorizer;
}

/**
 * The inputs of {@link selectCrossBorderAuthorizer} from the client options; token requests use
 * the Cross-Border transport settings (trusted roots, dispatcher, timeout).
 */
export function crossBorderAuthInputs(options: ClientOptions, keyringSigning: () => LoadedKey | undefined): CrossBorderAuthInputs {
  const dispatcher = options.dispatcher;
  return {
    auth: options.crossBorder?.auth,
    oauth1: options.oauth1,
    requestToken: options.requestToken,
    oauth2: options.oauth2,
    keyringSigning,
    ca: options.ca,
    dispatcher: dispatcher === undefined || typeof (dispatcher as Dispatcher).dispatch === 'function' ? (dispatcher as Dispatcher | undefined) : (dispatcher as { crossBorder?: Dispatcher }).crossBorder,
    timeoutMs: options.timeout ?? 60_000,
  };
}

/** Closes the transports opened for token requests by the authorizers above. */
export async function closeAuthorizerResources(authorizer: Authorizer | undefined): Promise<void> {
  if (authorizer === undefined) return;
  await Promise.all((resources.get(authorizer) ?? []).map((transport) => transport.close?.()));
}

function withTokenFetch<T extends { fetch?: unknown }>(options: T, inputs: Pick<CrossBorderAuthInputs, 'ca' | 'dispatcher' | 'timeoutMs'>, owned: Transport[]): T {
  if (typeof options !== 'object' || options === null) throw invalid('oauth2 and crossBorder.balances must be objects');
  if (options.fetch !== undefined) return options;
  const transport = createApiTransport({ ca: inputs.ca, dispatcher: inputs.dispatcher, connections: 2, timeoutMs: inputs.timeoutMs });
  owned.push(transport);
  return { ...options, fetch: transportFetch(transport) };
}

function isCodeClient(value: BalanceCredentials): value is AuthorizationCodeClient {
  return typeof (value as AuthorizationCodeClient).authorize === 'function' && typeof (value as AuthorizationCodeClient).exchangeCode === 'function';
}

function invalid(message: string): McapiError {
  return new McapiError('ERR_INVALID_OPTION', `createClient: ${message}.`);
}
