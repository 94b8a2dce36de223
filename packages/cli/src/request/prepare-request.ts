import { sign as rsaSign, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createOAuth1Signer, createRequestTokenSigner } from '@mcapi/auth';
import { type Authorizer, createPayloadCrypto, type PayloadCrypto, wrapToken } from '@mcapi/client';
import { McapiError } from '@mcapi/errors';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import type { Credentials } from '../credentials/resolve-credentials.js';
import type { ApiProfile } from './api-profile.js';
import { type OAuth2Authorization, type OAuth2Settings, createOAuth2Authorization } from './oauth2-authorizer.js';

/** How a Cross-Border request is authenticated. */
export type AuthScheme = 'oauth1' | 'request-token' | 'oauth2';

/** What {@link prepareRequest} needs. */
export interface PrepareRequestOptions {
  method: string;
  url: URL;
  profile: ApiProfile;
  /** JSON text of the body, if any. */
  data?: string;
  headers: Record<string, string>;
  credentials: Credentials;
  auth: AuthScheme;
  /** false: send Cross-Border bodies in plaintext (`--plain`). */
  encrypt: boolean;
  /** With `auth: 'oauth2'`: the client, keys and token endpoint. */
  oauth2?: OAuth2Settings;
}

/** One signature made for one attempt. */
export interface SignatureRecord {
  authorization: string;
  /** OAuth 1.0a only: the exact text that was signed. */
  baseString?: string;
  /** OAuth 2.0 only: the DPoP proof sent with the access token. */
  dpop?: string;
}

/** A request ready to send, with everything `-v` shows. */
export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Body bytes as sent (the encrypted wrapper when encrypted). */
  body?: string;
  /** The plaintext JSON, serialised losslessly. */
  plaintext?: string;
  jweHeader?: Record<string, unknown>;
  crypto?: PayloadCrypto;
  authorizer?: Authorizer;
  /** Filled by the authorizer, one per attempt. */
  signatures: SignatureRecord[];
  timings: { encryptMs?: number };
  /** With OAuth 2.0: its token requests (for `-v`); close it once the request is done. */
  oauth2?: OAuth2Authorization;
}

/**
 * Builds a request the way `@mcapi/client` does: lossless JSON, the whole body encrypted to one
 * JWE in the API's wrapper, and for Cross-Border an authorizer that signs each attempt over the
 * exact bytes sent (OAuth 1.0a or a request token). The authorizer records what it signed.
 */
export async function prepareRequest(options: PrepareRequestOptions): Promise<PreparedRequest> {
  const { method, url, profile, credentials } = options;
  const prepared: PreparedRequest = { method, url, headers: { accept: 'application/json', ...options.headers }, signatures: [], timings: {} };
  if (options.data !== undefined) {
    // Parsed without losing precision and written back exactly: a 19-digit card number survives.
    prepared.plaintext = stringifyJsonLossless(parseJsonLossless(options.data));
    prepared.body = prepared.plaintext;
    prepared.headers['content-type'] ??= 'application/json';
  }
  const encrypt = profile.encryptionRequired || (options.encrypt && credentials.encryptionKey !== undefined);
  if (encrypt) {
    if (credentials.encryptionKey === undefined) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        `${profile.name === 'bas' ? 'Benefit Allocation' : 'This API'} needs request encryption: the keyring has no active request-encryption key for ${credentials.keyEnvironment}; import Mastercard's certificate (mcapi-keytool import-cert --purpose request-encryption) or pass --encryption-cert FILE.`,
      );
    }
    prepared.crypto = createPayloadCrypto({ encryptionKey: credentials.encryptionKey, decryptionKeys: credentials.decryptionKeys });
    Object.assign(prepared.headers, profile.encryptionHeaders);
    if (prepared.plaintext !== undefined) {
      const start = performance.now();
      const token = await prepared.crypto.encrypt(prepared.plaintext);
      prepared.timings.encryptMs = performance.now() - start;
      const header = protectedHeader(token);
      if (header) prepared.jweHeader = header;
      prepared.body = wrapToken(profile.wrapper, token);
    }
  }
  if (profile.auth === 'oauth') {
    if (options.auth !== 'oauth2') prepared.authorizer = recordingAuthorizer(options.auth, credentials, prepared.signatures);
    else {
      if (options.oauth2 === undefined) throw new McapiError('ERR_INVALID_OPTION', 'OAuth 2.0 needs its settings: client id, key, issuer and token endpoint.');
      prepared.oauth2 = createOAuth2Authorization(options.oauth2, prepared.signatures);
      prepared.authorizer = prepared.oauth2.authorizer;
    }
  } else if (credentials.mtls === undefined) {
    throw new McapiError('ERR_INVALID_OPTION', `Benefit Allocation authenticates with mutual TLS: the keyring has no active mtls key for ${credentials.keyEnvironment}; pass --mtls-cert FILE --mtls-key FILE or make one with mcapi-keytool.`);
  }
  return prepared;
}

/** The JWE protected header (the first compact segment), for display. */
export function protectedHeader(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function recordingAuthorizer(scheme: 'oauth1' | 'request-token', credentials: Credentials, records: SignatureRecord[]): Authorizer {
  const { consumerKey, signingKey } = credentials;
  if (consumerKey === undefined || signingKey === undefined) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `Cross-Border requests are signed: the keyring has no active signing key with a consumer key for ${credentials.keyEnvironment}; pass --consumer-key KEY --signing-key FILE or import the signing certificate with its consumer key (mcapi-keytool import-cert --consumer-key).`,
    );
  }
  if (scheme === 'request-token') {
    if (credentials.signingCertificate === undefined) throw new McapiError('ERR_INVALID_OPTION', 'The request token carries the signing certificate: pass --signing-cert FILE (or use the keyring\'s signing key).');
    const signer = createRequestTokenSigner({ consumerKey, signingKey, certificate: credentials.signingCertificate });
    return async () => {
      const authorization = await signer.authorize();
      records.push({ authorization });
      return { authorization };
    };
  }
  let baseString: string | undefined;
  // A sign function sees the exact base string bytes the signer built: what -v and the 401
  // comparison show is what was signed, not a recomputation.
  const signer = createOAuth1Signer({
    consumerKey,
    signingKey: async (data) => {
      baseString = Buffer.from(data).toString('utf8');
      return rsaSign('sha256', data, signingKey as KeyObject);
    },
  });
  return async ({ method, url, body }) => {
    const authorization = await signer.authorize(body === undefined ? { method, url } : { method, url, body });
    records.push(baseString === undefined ? { authorization } : { authorization, baseString });
    return { authorization };
  };
}
