import type { Keyring, LoadedKey } from '@mcapi/keys';
import type { CaSource, MtlsCredentials, ProxyOption } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { ApiAuthConfig, AuthConfig } from '../auth/api-auth.js';
import type { OAuth1Credentials, RequestTokenCredentials } from '../auth/authorizers.js';
import type { BalanceCredentials, CrossBorderAuth, OAuth2Credentials } from '../auth/oauth2-authorizers.js';
import { crossBorderWrapper, type EncryptionWrapper } from '../encryption/wrapper.js';
import { resolveEnvironment } from '../environment/environments.js';
import { type ClientLogger, safeLogger } from '../logging/logger.js';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { ApiTransportOptions } from '../transport/api-transport.js';
import type { ClientOptions, EncryptionCredentials, RetryOptions } from './client-options.js';
import { DEFAULT_CORRELATION_ID_HEADER, DEFAULT_ENCRYPTED_FIELD, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, RFI_MIN_TIMEOUT_MS } from './defaults.js';
import { type KeyringCredentials, keyringCredentials, missingEncryptionHint } from './keyring-credentials.js';
import type { Followed } from './last-derived.js';
import { notConfigured } from './not-configured.js';
import {
  type Fail,
  checkBoolean,
  checkDispatcher,
  checkFunction,
  checkHeaderName,
  checkMaxRetries,
  checkObject,
  checkOptionsObject,
  checkRetry,
  checkString,
  checkTimeout,
  failIn,
  isDispatcher,
  isRecord,
} from './option-rules.js';

/** The APIs a client talks to. */
export type ApiName = 'benefitAllocation' | 'crossBorder';

/** Everything one API group needs, resolved: where, how it connects, authenticates and encrypts. */
export interface ApiConfig {
  name: ApiName;
  /** Why the group cannot make calls (its calls reject with this, naming the fix); undefined when ready. */
  unavailable: string | undefined;
  baseUrl: string;
  transport: ApiTransportOptions;
  auth: ApiAuthConfig;
  /** JWE keys and where the token travels; undefined only after an explicit `encrypt: false`. */
  encryption: { credentials: ResolvedEncryption; wrapper: EncryptionWrapper } | undefined;
}

/** {@link EncryptionCredentials} whose request-encryption key may be the keyring's, read per request. */
export type ResolvedEncryption = Omit<EncryptionCredentials, 'encryptionKey'> & { encryptionKey: Followed<EncryptionCredentials['encryptionKey']> };

// What a group lacks without these keys: at construction and, after a keyring reload that left
// none active, on each call (the same words: see notConfigured).
const MISSING_MTLS = 'mtls (or a keyring with an active mtls key)';
const MISSING_BAS_OAUTH1 = 'oauth1 (or a keyring whose signing key has a consumer key), for benefitAllocation.auth "oauth1"';
const MISSING_XB_AUTH = 'oauth1, requestToken or a keyring with an active signing key that has a consumer key';
const MISSING_XB_MTLS = 'a client certificate for crossBorder.mtls: mtls, or a keyring with an active mtls key';

/** Defaults every call of a client starts from (per-call options are checked by the same rules). */
export interface CallDefaults {
  timeoutMs: number;
  maxRetries: number;
  /** Header carrying the correlation id, or false for none. */
  correlationIdHeader: string | false;
}

/** {@link ClientOptions} checked, defaulted and resolved against the keyring, once. */
export interface ResolvedConfig {
  call: CallDefaults;
  retry: RetryOptions;
  logger: ClientLogger | undefined;
  benefitAllocation: ApiConfig;
  crossBorder: ApiConfig & { partnerId: string | undefined };
}

const knownOptions = [
  'environment',
  'keyring',
  'mtls',
  'oauth1',
  'requestToken',
  'oauth2',
  'encryption',
  'ca',
  'proxy',
  'timeout',
  'maxRetries',
  'retry',
  'logger',
  'dispatcher',
  'correlationIdHeader',
  'benefitAllocation',
  'crossBorder',
] as const;

/**
 * Checks every option of `createClient` once (`ERR_INVALID_OPTION` naming the option and what to
 * give), applies the defaults of `defaults.ts`, reads the keyring, and decides per API where it
 * sends, how it connects (transport), how it authenticates (auth) and how it encrypts. Nothing is
 * opened here: `createClient` builds transports and authorizers from the result.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ environment: 'sandbox', keyring, crossBorder: { partnerId } });
 * config.crossBorder.auth; // { auth: { method: 'oauth1', credentials } }
 * ```
 */
export function resolveConfig(options: ClientOptions): ResolvedConfig {
  const fail = failIn('createClient');
  const given = checkOptionsObject(options, 'options', knownOptions, fail);
  if (given === undefined) return fail('options must be an object');
  if (options.environment === undefined) fail('environment is required');
  const urls = resolveEnvironment(options.environment, fail);
  const keyring = checkKeyring(options.keyring, fail);
  const fromKeyring = keyringCredentials(keyring, urls.keyEnvironment);

  const timeoutMs = checkTimeout(options.timeout, 'timeout', fail) ?? DEFAULT_TIMEOUT_MS;
  const call: CallDefaults = {
    timeoutMs,
    maxRetries: checkMaxRetries(options.maxRetries, 'maxRetries', fail) ?? DEFAULT_MAX_RETRIES,
    correlationIdHeader: options.correlationIdHeader === false ? false : (checkHeaderName(options.correlationIdHeader, 'correlationIdHeader (a header name or false)', fail) ?? DEFAULT_CORRELATION_ID_HEADER),
  };
  const retry = checkRetry(options.retry, 'retry', fail);
  const logger = safeLogger(checkFunction(options.logger, 'logger', fail));
  // Its form (PEM text, Buffer, certificates) is checked by @mcapi/transport-mtls, which reads it.
  const ca = options.ca === null ? fail('ca must be PEM text, a Buffer or certificates') : options.ca;
  const dispatchers = checkDispatchers(options.dispatcher, fail);
  const proxy = checkProxy(options.proxy, dispatchers, fail);
  const explicitEncryption = checkEncryption(options.encryption, fail);
  const encryption = explicitEncryption ?? fromKeyring.encryption;
  const missingEncryption = () => `encryption is incomplete: ${missingEncryptionHint(keyring, urls.keyEnvironment)}`;
  // An explicit `encryption` is used as given; the keyring's request-encryption certificate is
  // followed per request, so a reload after Mastercard renews it reaches the next request.
  const encryptionOf = (api: ApiName): ResolvedEncryption | undefined =>
    explicitEncryption ??
    (fromKeyring.encryption && {
      ...fromKeyring.encryption,
      encryptionKey: fromKeyring.follow('request-encryption', (key) => key.certificate ?? key.publicKey, () => notConfigured(api, missingEncryption())),
    });

  // Benefit Allocation: mTLS (or, for the OAuth 1.0a product, a signature over the encrypted
  // bytes) authenticates; the whole body travels as one JWE member.
  const bas = checkOptionsObject(options.benefitAllocation, 'benefitAllocation', ['auth', 'encryptedFieldName', 'responseEncryptedFieldName'], fail);
  const basAuth = bas?.auth ?? 'mtls';
  if (basAuth !== 'mtls' && basAuth !== 'oauth1') fail('benefitAllocation.auth must be "mtls" or "oauth1"');
  const requestField = checkString(bas?.encryptedFieldName, 'benefitAllocation.encryptedFieldName', fail) ?? DEFAULT_ENCRYPTED_FIELD;
  const responseField = checkString(bas?.responseEncryptedFieldName, 'benefitAllocation.responseEncryptedFieldName', fail) ?? requestField;
  // A named environment has a host per product; given URLs are used as they are.
  const basUrl = basAuth === 'oauth1' && typeof options.environment === 'string' ? urls.benefitAllocationOAuth1 : urls.benefitAllocation;
  const basDispatcher = basUrl === undefined ? undefined : dispatchers.benefitAllocation;
  // The OAuth 1.0a product is not an mTLS host: no client certificate is presented there.
  const mtls = basAuth === 'mtls' ? resolveMtls(options.mtls, fromKeyring, basDispatcher, fail) : undefined;
  const basOAuth1 = basAuth === 'oauth1' ? (checkOAuth1(options.oauth1, fail) ?? keyringOAuth1(fromKeyring, 'benefitAllocation', MISSING_BAS_OAUTH1)) : undefined;
  const basEncryption = encryptionOf('benefitAllocation');
  const benefitAllocation: ApiConfig = {
    name: 'benefitAllocation',
    baseUrl: basUrl ?? '',
    unavailable:
      basUrl === undefined
        ? `this environment has no Benefit Allocation URL${basAuth === 'oauth1' ? ' for the OAuth 1.0a product' : ''}`
        : basAuth === 'mtls' && mtls === undefined && basDispatcher === undefined
          ? MISSING_MTLS
          : basAuth === 'oauth1' && basOAuth1 === undefined
            ? MISSING_BAS_OAUTH1
            : basEncryption === undefined
              ? missingEncryption()
              : undefined,
    transport: transportOptions(mtls, ca, basDispatcher, timeoutMs, proxy),
    auth: basOAuth1 === undefined ? {} : { auth: { method: 'oauth1', credentials: basOAuth1 } },
    encryption: basEncryption && { credentials: basEncryption, wrapper: { style: 'field', requestField, responseField } },
  };

  // Cross-Border: OAuth 1.0a, the request token or OAuth 2.0 in headers; the body as encrypted_payload.
  const xb = checkOptionsObject(options.crossBorder, 'crossBorder', ['partnerId', 'encrypt', 'authorizer', 'auth', 'balances', 'mtls'], fail);
  const xbDispatcher = urls.crossBorder === undefined ? undefined : dispatchers.crossBorder;
  const xbMtls = resolveCrossBorderMtls(xb?.mtls, options.mtls, fromKeyring, xbDispatcher, typeof options.environment === 'string' ? options.environment : undefined, fail);
  const auth = resolveCrossBorderAuth(options, fromKeyring, fail);
  const encrypt = checkBoolean(xb?.encrypt, 'crossBorder.encrypt', fail) ?? true;
  const xbEncryption = encryptionOf('crossBorder');
  if (urls.crossBorder !== undefined && (auth.auth !== undefined || auth.balances !== undefined) && encrypt && encryption === undefined) {
    // Configured to call Cross-Border but unable to encrypt: refuse now rather than send plaintext.
    fail(`Cross-Border would send plaintext: ${missingEncryption()}. To send unencrypted on purpose, set crossBorder.encrypt: false`);
  }
  if (ca !== undefined && (basDispatcher ?? xbDispatcher) !== undefined) {
    fail(
      'ca cannot be combined with dispatcher: a dispatcher owns its connections, so the client cannot apply trusted roots to them. Configure the roots on your dispatcher (new Agent({ connect: { ca } })), or drop dispatcher',
    );
  }
  const crossBorder: ApiConfig & { partnerId: string | undefined } = {
    name: 'crossBorder',
    baseUrl: urls.crossBorder ?? '',
    unavailable:
      urls.crossBorder === undefined
        ? 'this environment has no Cross-Border URL'
        : auth.auth === undefined && auth.balances === undefined
          ? MISSING_XB_AUTH
          : undefined,
    // RFI calls wait at least 40 s whatever the client timeout, so the pool must allow them.
    transport: { ...transportOptions(xbMtls, ca, xbDispatcher, timeoutMs, proxy), minTimeoutMs: RFI_MIN_TIMEOUT_MS },
    auth,
    encryption: encrypt && xbEncryption ? { credentials: xbEncryption, wrapper: crossBorderWrapper } : undefined,
    partnerId: checkString(xb?.partnerId, 'crossBorder.partnerId', fail),
  };
  return { call, retry, logger, benefitAllocation, crossBorder };
}

function transportOptions(
  credentials: Followed<MtlsCredentials> | undefined,
  ca: CaSource | undefined,
  dispatcher: Dispatcher | undefined,
  timeoutMs: number,
  proxy: ProxyOption | undefined,
): ApiTransportOptions {
  return {
    timeoutMs,
    // A dispatcher routes its own requests; transport-mtls refuses a proxy next to one.
    ...(proxy === undefined || dispatcher !== undefined ? {} : { proxy }),
    ...(credentials === undefined ? {} : { credentials }),
    ...(ca === undefined ? {} : { ca }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
  };
}

// Its form is checked by @mcapi/transport-mtls when the transports are built (at construction too).
function checkProxy(value: unknown, dispatchers: { benefitAllocation?: Dispatcher; crossBorder?: Dispatcher }, fail: Fail): ProxyOption | undefined {
  if (value === undefined) return undefined;
  if (value === null || (typeof value !== 'string' && typeof value !== 'object' && value !== false)) {
    return fail('proxy must be a URL, { url, username?, password?, ca?, noProxy? } or false');
  }
  if (value !== false && (dispatchers.benefitAllocation !== undefined || dispatchers.crossBorder !== undefined)) {
    fail('proxy cannot be combined with dispatcher: a dispatcher routes its own requests. Give your dispatcher the proxy (new ProxyAgent(url)), or drop dispatcher');
  }
  return value as ProxyOption;
}

function checkKeyring(value: unknown, fail: Fail): Keyring | undefined {
  if (value === undefined) return undefined;
  const ring = value as Partial<Keyring>;
  if (!isRecord(value) || typeof ring.active !== 'function' || typeof ring.decryptionKeys !== 'function' || typeof ring.entries !== 'function') {
    return fail('keyring must be a keyring opened with openKeyring(dir) from @mcapi/keys');
  }
  return value as unknown as Keyring;
}

function checkDispatchers(value: unknown, fail: Fail): { benefitAllocation?: Dispatcher; crossBorder?: Dispatcher } {
  if (value === undefined) return {};
  if (isDispatcher(value)) return { benefitAllocation: value, crossBorder: value };
  const perApi = checkOptionsObject(value, 'dispatcher (a Dispatcher, or { benefitAllocation, crossBorder })', ['benefitAllocation', 'crossBorder'], fail)!;
  const out: { benefitAllocation?: Dispatcher; crossBorder?: Dispatcher } = {};
  const bas = checkDispatcher(perApi.benefitAllocation, 'dispatcher.benefitAllocation', fail);
  if (bas) out.benefitAllocation = bas;
  const xb = checkDispatcher(perApi.crossBorder, 'dispatcher.crossBorder', fail);
  if (xb) out.crossBorder = xb;
  return out;
}

function checkEncryption(value: unknown, fail: Fail): EncryptionCredentials | undefined {
  const encryption = checkOptionsObject(value, 'encryption', ['encryptionKey', 'kid', 'decryptionKeys'], fail);
  if (encryption === undefined) return undefined;
  if (typeof encryption.encryptionKey !== 'object' || encryption.encryptionKey === null) {
    fail("encryption.encryptionKey must be Mastercard's request-encryption certificate (X509Certificate) or its public KeyObject");
  }
  const keys = encryption.decryptionKeys;
  if (typeof keys !== 'function' && (typeof keys !== 'object' || keys === null)) {
    fail('encryption.decryptionKeys must be a private KeyObject, a Map of kid → KeyObject, or a function returning that Map');
  }
  return value as EncryptionCredentials;
}

// The client certificate of Benefit Allocation: explicit, else the keyring's, followed per request
// (the transport reloads its pool when a rotation replaced it). A dispatcher owns TLS, so a
// certificate next to it would be silently dropped: refused instead.
function resolveMtls(value: unknown, keyring: KeyringCredentials, dispatcher: Dispatcher | undefined, fail: Fail): Followed<MtlsCredentials> | undefined {
  const explicit = checkObject<MtlsCredentials>(value, 'mtls', fail);
  if (dispatcher !== undefined) {
    if (explicit !== undefined) {
      fail('mtls cannot be combined with dispatcher: a dispatcher owns its connections, so the client cannot present the certificate. Present it from your dispatcher (new Agent({ connect: { cert, key } })), or drop dispatcher');
    }
    if (keyring.mtls !== undefined) {
      fail("the keyring's active mtls key cannot be presented through dispatcher: a dispatcher owns its connections. Present the certificate from your dispatcher and give Cross-Border alone a dispatcher ({ crossBorder: dispatcher }), or drop dispatcher");
    }
    return undefined;
  }
  return explicit ?? keyringMtls(keyring, 'benefitAllocation', MISSING_MTLS);
}

/** The keyring's active mtls key, read per request; undefined when it has none now. */
function keyringMtls(keyring: KeyringCredentials, api: ApiName, missing: string): (() => MtlsCredentials) | undefined {
  return keyring.mtls && keyring.follow('mtls', (key): MtlsCredentials => key, () => notConfigured(api, missing));
}

// Mastercard's OAuth 2.0 reference application presents a client certificate to these hosts
// (MTS EU/UK MTF and production) and skips it only in sandbox.
const clientCertificateEnvironments = new Set(['mtf-eu', 'production-eu', 'mtf-uk', 'production-uk']);

/**
 * The client certificate Cross-Border presents: `crossBorder.mtls` credentials, or (`true`, or
 * the default on the MTS EU/UK hosts) the client's `mtls` / the keyring's active mtls key.
 */
function resolveCrossBorderMtls(
  value: unknown,
  clientMtls: unknown,
  keyring: KeyringCredentials,
  dispatcher: Dispatcher | undefined,
  environment: string | undefined,
  fail: Fail,
): Followed<MtlsCredentials> | undefined {
  if (value === false) return undefined;
  if (value === undefined && (environment === undefined || !clientCertificateEnvironments.has(environment) || dispatcher !== undefined)) return undefined;
  const chosen =
    value === true || value === undefined
      ? (checkObject<MtlsCredentials>(clientMtls, 'mtls', fail) ?? keyringMtls(keyring, 'crossBorder', MISSING_XB_MTLS))
      : checkObject<MtlsCredentials>(value, 'crossBorder.mtls (credentials, true or false)', fail);
  if (chosen === undefined) {
    if (value === true) fail('crossBorder.mtls is true but the client has no certificate: give mtls, or a keyring with an active mtls key');
    return undefined;
  }
  if (dispatcher !== undefined) {
    fail('crossBorder.mtls cannot be combined with dispatcher: a dispatcher owns its connections. Present the certificate from your dispatcher, or drop dispatcher');
  }
  return chosen;
}

/**
 * Picks how Cross-Border authenticates: `crossBorder.authorizer` wins; then `crossBorder.auth`
 * (default "oauth2" when `oauth2` is given); else `requestToken`, else OAuth 1.0a from `oauth1`
 * or the keyring's signing key. Naming a method whose credentials are missing is refused.
 */
export function resolveCrossBorderAuth(
  options: Pick<ClientOptions, 'oauth1' | 'requestToken' | 'oauth2' | 'crossBorder'>,
  keyring: Pick<KeyringCredentials, 'signing' | 'follow'>,
  fail: Fail = failIn('createClient'),
): ApiAuthConfig {
  const xb = isRecord(options.crossBorder) ? options.crossBorder : {};
  const balances = checkObject<BalanceCredentials>(xb.balances, 'crossBorder.balances', fail);
  const out = (auth: AuthConfig | undefined): ApiAuthConfig => ({ ...(auth === undefined ? {} : { auth }), ...(balances === undefined ? {} : { balances }) });
  const custom = checkFunction<Authorizer>(xb.authorizer, 'crossBorder.authorizer', fail);
  if (custom) return out({ method: 'custom', authorizer: custom });
  const oauth1 = checkOAuth1(options.oauth1, fail);
  const requestToken = checkObject<RequestTokenCredentials>(options.requestToken, 'requestToken', fail);
  const oauth2 = checkObject<OAuth2Credentials>(options.oauth2, 'oauth2', fail);
  // The keyring's signing key is followed per request: a rotation reaches the next signature.
  const keyringRequestToken = (missing: string) =>
    keyring.signing && requestTokenOf(keyring.signing)
      ? keyring.follow('signing', requestTokenOf, () => notConfigured('crossBorder', missing))
      : undefined;
  const auth: CrossBorderAuth | undefined = xb.auth ?? (oauth2 === undefined ? undefined : 'oauth2');
  switch (auth) {
    case 'oauth2':
      if (oauth2 === undefined) return fail('crossBorder.auth is "oauth2" but no oauth2 credentials were given');
      return out({ method: 'oauth2', credentials: oauth2 });
    case 'request-token': {
      const credentials = requestToken ?? keyringRequestToken('requestToken, or a keyring whose signing key has a consumer key and certificate');
      if (credentials === undefined) return fail('crossBorder.auth is "request-token": give requestToken, or a keyring whose signing key has a consumer key and certificate');
      return out({ method: 'request-token', credentials });
    }
    case 'oauth1': {
      const credentials = oauth1 ?? keyringOAuth1(keyring, 'crossBorder', 'oauth1, or a keyring whose signing key has a consumer key');
      if (credentials === undefined) return fail('crossBorder.auth is "oauth1": give oauth1, or a keyring whose signing key has a consumer key');
      return out({ method: 'oauth1', credentials });
    }
    case undefined: {
      if (requestToken) return out({ method: 'request-token', credentials: requestToken });
      const credentials = oauth1 ?? keyringOAuth1(keyring, 'crossBorder', MISSING_XB_AUTH);
      return out(credentials && { method: 'oauth1', credentials });
    }
    default:
      return fail('crossBorder.auth must be "oauth1", "request-token" or "oauth2"');
  }
}

/**
 * OAuth 1.0a credentials from the keyring's active signing key, read per request; undefined when
 * it has none with a consumer key now.
 */
function keyringOAuth1(keyring: Pick<KeyringCredentials, 'signing' | 'follow'>, api: ApiName, missing: string): (() => OAuth1Credentials) | undefined {
  return keyring.signing && oauth1Of(keyring.signing) ? keyring.follow('signing', oauth1Of, () => notConfigured(api, missing)) : undefined;
}

function oauth1Of(signing: LoadedKey): OAuth1Credentials | undefined {
  return signing.privateKey && signing.entry.consumerKey ? { consumerKey: signing.entry.consumerKey, signingKey: signing.privateKey } : undefined;
}

function requestTokenOf(signing: LoadedKey): RequestTokenCredentials | undefined {
  return signing.privateKey && signing.entry.consumerKey && signing.certificate
    ? { consumerKey: signing.entry.consumerKey, signingKey: signing.privateKey, certificate: signing.certificate }
    : undefined;
}

function checkOAuth1(value: unknown, fail: Fail): OAuth1Credentials | undefined {
  const oauth1 = checkObject<OAuth1Credentials>(value, 'oauth1', fail);
  if (oauth1 === undefined) return undefined;
  if (typeof oauth1.consumerKey !== 'string' || oauth1.consumerKey === '') {
    fail('oauth1.consumerKey must be the consumer key from your Mastercard Developers project');
  }
  return oauth1;
}
