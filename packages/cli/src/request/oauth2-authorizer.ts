import type { KeyObject } from 'node:crypto';
import type { ExternalPrivateKey } from '@mcapi/keys';
import { performance } from 'node:perf_hooks';
import { type FetchLike, createFapi2Client } from '@mcapi/auth';
import { type Authorizer, createMastercardFetch, oauth2Authorizer } from '@mcapi/client';
import type { SignatureRecord } from './prepare-request.js';

/** What an OAuth 2.0 (FAPI 2.0: private_key_jwt + DPoP, client credentials) request needs. */
export interface OAuth2Settings {
  clientId: string;
  /** Key id of `signingKey` as registered with the authorization server. */
  kid: string;
  issuer: string;
  tokenEndpoint: string;
  /** Private key of the client assertion (RSA ≥ 2048 → PS256, P-256 → ES256). */
  signingKey: KeyObject | ExternalPrivateKey;
  /** DPoP key; absent: a P-256 key made for this run. */
  dpopKey?: KeyObject;
  scopes: readonly string[];
  /** Trusted roots of the token endpoint (the sandbox CA), as for the API. */
  ca?: string;
  timeoutMs: number;
}

/** One call to the token endpoint, for `-v`. */
export interface TokenCall {
  method: string;
  url: string;
  status: number;
  ms: number;
  /** The OAuth error code of a refusal (`use_dpop_nonce`, `invalid_client`, …). */
  error?: string;
}

/** An OAuth 2.0 authorizer and what `-v` shows of its token requests. */
export interface OAuth2Authorization {
  authorizer: Authorizer;
  tokenCalls: TokenCall[];
  close(): Promise<void>;
}

/**
 * The client package's DPoP authorizer (`oauth2Authorizer` over `createFapi2Client` of
 * `@mcapi/auth`), recording what each attempt sent. Token requests go through a Mastercard fetch
 * of their own (same trusted roots, no retries: a refused token request is shown, not hidden).
 */
export function createOAuth2Authorization(settings: OAuth2Settings, records: SignatureRecord[]): OAuth2Authorization {
  const transport = createMastercardFetch({ ...(settings.ca === undefined ? {} : { ca: settings.ca }), timeout: settings.timeoutMs, maxRetries: 0 });
  const tokenCalls: TokenCall[] = [];
  const tracedFetch: FetchLike = async (input, init) => {
    const start = performance.now();
    const response = await transport(input as string, init as RequestInit);
    const call: TokenCall = { method: init?.method ?? 'GET', url: String(input), status: response.status, ms: performance.now() - start };
    if (!response.ok) {
      // Only the error code: the body of a token response may hold a token, never printed.
      const error = await response
        .clone()
        .json()
        .then((body: unknown) => {
          const code = (body as { error?: unknown } | null)?.error;
          return typeof code === 'string' ? code : undefined;
        })
        .catch(() => undefined);
      if (error !== undefined) call.error = error;
    }
    tokenCalls.push(call);
    return response;
  };
  const fapi = createFapi2Client({
    clientId: settings.clientId,
    kid: settings.kid,
    issuer: settings.issuer,
    tokenEndpoint: settings.tokenEndpoint,
    signingKey: settings.signingKey,
    ...(settings.dpopKey === undefined ? {} : { dpopKey: settings.dpopKey }),
    ...(settings.scopes.length === 0 ? {} : { scopes: settings.scopes }),
    fetch: tracedFetch,
  });
  const authorize = oauth2Authorizer(fapi);
  return {
    tokenCalls,
    authorizer: async (request) => {
      const headers = await authorize(request);
      records.push({ authorization: headers.authorization ?? '', ...(headers.dpop === undefined ? {} : { dpop: headers.dpop }) });
      return headers;
    },
    close: () => transport.close(),
  };
}

/** A DPoP proof shown without its signature: the protected header (key type only) and the claims. */
export function describeDpopProof(proof: string): string {
  const [header, claims] = proof.split('.');
  const decode = (part: string | undefined) => {
    try {
      return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const head = decode(header);
  const jwk = head?.jwk as { kty?: string; crv?: string } | undefined;
  const shownHeader = head === undefined ? undefined : { ...head, jwk: jwk === undefined ? undefined : `${jwk.kty ?? '?'}${jwk.crv ? ` ${jwk.crv}` : ''} public key` };
  return `${JSON.stringify(shownHeader)}\n${JSON.stringify(decode(claims))}`;
}
