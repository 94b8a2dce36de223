import type { PayloadRule } from '@mcapi/jwe';
import type { CaSource, MtlsCredentials, ProxyOption } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { ApiAuthConfig } from '../auth/api-auth.js';
import type { OAuth1Credentials, RequestTokenCredentials } from '../auth/authorizers.js';
import type { OAuth2Credentials } from '../auth/oauth2-authorizers.js';
import { type ClientLogEvent, type ClientLogger, safeLogger } from '../logging/logger.js';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { ApiTransportOptions } from '../transport/api-transport.js';
import type { EncryptionCredentials, RetryOptions } from './client-options.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { type Fail, checkDispatcher, checkFunction, checkMaxRetries, checkObject, checkOptionsObject, checkRetry, checkTimeout, failIn } from './option-rules.js';

/** Options of `createMastercardFetch`. */
export interface MastercardFetchOptions {
  /** Client certificate (mTLS APIs). Not with `dispatcher` (it owns its connections). */
  mtls?: MtlsCredentials;
  /** Trusted roots replacing the defaults. Not with `dispatcher`. */
  ca?: CaSource;
  /** The HTTP(S) proxy, as `createClient`'s `proxy`; default `HTTPS_PROXY` / `NO_PROXY`. Not with `dispatcher`. */
  proxy?: ProxyOption;
  /** Send through this undici dispatcher instead (not closed by `close()`). */
  dispatcher?: Dispatcher;
  /** OAuth 1.0a signing of every request (after encryption, over the bytes sent). */
  oauth1?: OAuth1Credentials;
  /** The Cross-Border request token (MTS EU/UK): a fresh `Authorization: Bearer <jwt>` per request. */
  requestToken?: RequestTokenCredentials;
  /** OAuth 2.0 (FAPI 2.0: private_key_jwt + DPoP), as `createClient`'s `oauth2`; token requests use the same `ca` and proxy. */
  oauth2?: OAuth2Credentials;
  /** A custom authorizer instead of `oauth1` / `requestToken` / `oauth2`. */
  authorizer?: Authorizer;
  /** JWE keys used by `encryptionRules`. */
  encryption?: EncryptionCredentials;
  /**
   * Which endpoints are encrypted and where (method + path template or RegExp, JSON paths):
   * `@mcapi/jwe` payload rules, e.g. `{ path: '/card-segments', ...payloadPresets.encryptedData }`.
   */
  encryptionRules?: readonly PayloadRule[];
  /** Per-attempt timeout in ms; default 60 000. */
  timeout?: number;
  /** Retries of safe failures (GET/PUT/DELETE, 429, 503, not-sent connections); default 2. */
  maxRetries?: number;
  /** Backoff tuning and an injectable clock, as `createClient`'s `retry`. */
  retry?: RetryOptions;
  logger?: (event: ClientLogEvent) => void;
}

/** {@link MastercardFetchOptions} checked and defaulted. */
export interface ResolvedFetchConfig {
  transport: ApiTransportOptions;
  timeoutMs: number;
  maxRetries: number;
  retry: RetryOptions;
  logger: ClientLogger | undefined;
  /** How requests authenticate in headers (built into an authorizer by `createApiAuth`). */
  auth: ApiAuthConfig;
  encryption: EncryptionCredentials | undefined;
  encryptionRules: readonly PayloadRule[] | undefined;
}

const knownFetchOptions = [
  'mtls',
  'ca',
  'proxy',
  'dispatcher',
  'oauth1',
  'requestToken',
  'oauth2',
  'authorizer',
  'encryption',
  'encryptionRules',
  'timeout',
  'maxRetries',
  'retry',
  'logger',
] as const;

/**
 * The fetch adapter's options, by the same rules (`option-rules.ts`) and defaults (`defaults.ts`)
 * as `createClient`'s.
 *
 * @example
 * ```ts
 * const config = resolveFetchConfig({ oauth1, timeout: 10_000 });
 * ```
 */
export function resolveFetchConfig(options: MastercardFetchOptions): ResolvedFetchConfig {
  const fail = failIn('createMastercardFetch');
  checkOptionsObject(options, 'options', knownFetchOptions, fail);
  const timeoutMs = checkTimeout(options.timeout, 'timeout', fail) ?? DEFAULT_TIMEOUT_MS;
  const dispatcher = checkDispatcher(options.dispatcher, 'dispatcher', fail);
  const mtls = checkObject<MtlsCredentials>(options.mtls, 'mtls', fail);
  if (dispatcher !== undefined && (mtls !== undefined || options.ca !== undefined)) {
    fail(
      `${mtls !== undefined ? 'mtls' : 'ca'} cannot be combined with dispatcher: a dispatcher owns its connections. Configure them on your dispatcher (new Agent({ connect: { ca, cert, key } })), or drop dispatcher`,
    );
  }
  if (dispatcher !== undefined && options.proxy !== undefined && options.proxy !== false) {
    fail('proxy cannot be combined with dispatcher: a dispatcher routes its own requests. Give your dispatcher the proxy (new ProxyAgent(url)), or drop dispatcher');
  }
  const auth = resolveSigning(options, fail);
  const { encryption, encryptionRules } = resolveEncryptionRules(options, fail);
  return {
    transport: {
      timeoutMs,
      ...(mtls === undefined ? {} : { credentials: mtls }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(dispatcher === undefined ? {} : { dispatcher }),
      ...(options.proxy === undefined || dispatcher !== undefined ? {} : { proxy: options.proxy }),
    },
    timeoutMs,
    maxRetries: checkMaxRetries(options.maxRetries, 'maxRetries', fail) ?? DEFAULT_MAX_RETRIES,
    retry: checkRetry(options.retry, 'retry', fail),
    logger: safeLogger(checkFunction(options.logger, 'logger', fail)),
    auth,
    encryption,
    encryptionRules,
  };
}

/**
 * At most one way to authenticate in headers: `authorizer`, `oauth1`, `requestToken` or `oauth2`
 * (none when mTLS alone authenticates). Shared by the fetch and axios adapters.
 */
export function resolveSigning(options: Pick<MastercardFetchOptions, 'oauth1' | 'requestToken' | 'oauth2' | 'authorizer'>, fail: Fail): ApiAuthConfig {
  const custom = checkFunction<Authorizer>(options.authorizer, 'authorizer', fail);
  const oauth1 = checkObject<OAuth1Credentials>(options.oauth1, 'oauth1', fail);
  const requestToken = checkObject<RequestTokenCredentials>(options.requestToken, 'requestToken', fail);
  const oauth2 = checkObject<OAuth2Credentials>(options.oauth2, 'oauth2', fail);
  const given = (['authorizer', 'oauth1', 'requestToken', 'oauth2'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) fail(`give one of ${given.join(', ')}: each signs every request, and only one Authorization header is sent`);
  if (custom) return { auth: { method: 'custom', authorizer: custom } };
  if (oauth1) {
    if (typeof oauth1.consumerKey !== 'string' || oauth1.consumerKey === '') fail('oauth1.consumerKey must be the consumer key from your Mastercard Developers project');
    return { auth: { method: 'oauth1', credentials: oauth1 } };
  }
  if (requestToken) return { auth: { method: 'request-token', credentials: requestToken } };
  if (oauth2) return { auth: { method: 'oauth2', credentials: oauth2 } };
  return {};
}

/** `encryption` and `encryptionRules`, checked together. Shared by the fetch and axios adapters. */
export function resolveEncryptionRules(
  options: Pick<MastercardFetchOptions, 'encryption' | 'encryptionRules'>,
  fail: Fail,
): { encryption: EncryptionCredentials | undefined; encryptionRules: readonly PayloadRule[] | undefined } {
  const encryption = checkObject<EncryptionCredentials>(options.encryption, 'encryption', fail);
  if (options.encryptionRules !== undefined && !Array.isArray(options.encryptionRules)) fail('encryptionRules must be an array of @mcapi/jwe payload rules');
  if (options.encryptionRules && !encryption) fail('encryptionRules need encryption keys (encryption)');
  return { encryption, encryptionRules: options.encryptionRules };
}
