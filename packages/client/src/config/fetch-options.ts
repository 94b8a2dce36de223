import type { PayloadRule } from '@mcapi/jwe';
import type { CaSource, MtlsCredentials } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { OAuth1Credentials } from '../auth/authorizers.js';
import { oauth1Authorizer } from '../auth/authorizers.js';
import { type ClientLogEvent, type ClientLogger, safeLogger } from '../logging/logger.js';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { ApiTransportOptions } from '../transport/api-transport.js';
import type { EncryptionCredentials, RetryOptions } from './client-options.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { checkDispatcher, checkFunction, checkMaxRetries, checkObject, checkOptionsObject, checkRetry, checkTimeout, failIn } from './option-rules.js';

/** Options of `createMastercardFetch`. */
export interface MastercardFetchOptions {
  /** Client certificate (mTLS APIs). Not with `dispatcher` (it owns its connections). */
  mtls?: MtlsCredentials;
  /** Trusted roots replacing the defaults. Not with `dispatcher`. */
  ca?: CaSource;
  /** Send through this undici dispatcher instead (not closed by `close()`). */
  dispatcher?: Dispatcher;
  /** OAuth 1.0a signing of every request (after encryption, over the bytes sent). */
  oauth1?: OAuth1Credentials;
  /** A custom authorizer instead of `oauth1`. */
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
  authorizer: Authorizer | undefined;
  encryption: EncryptionCredentials | undefined;
  encryptionRules: readonly PayloadRule[] | undefined;
}

const knownFetchOptions = ['mtls', 'ca', 'dispatcher', 'oauth1', 'authorizer', 'encryption', 'encryptionRules', 'timeout', 'maxRetries', 'retry', 'logger'] as const;

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
  const oauth1 = checkObject<OAuth1Credentials>(options.oauth1, 'oauth1', fail);
  const authorizer = checkFunction<Authorizer>(options.authorizer, 'authorizer', fail) ?? (oauth1 ? oauth1Authorizer(oauth1) : undefined);
  const encryption = checkObject<EncryptionCredentials>(options.encryption, 'encryption', fail);
  if (options.encryptionRules !== undefined && !Array.isArray(options.encryptionRules)) fail('encryptionRules must be an array of @mcapi/jwe payload rules');
  if (options.encryptionRules && !encryption) fail('encryptionRules need encryption keys (encryption)');
  return {
    transport: { timeoutMs, ...(mtls === undefined ? {} : { credentials: mtls }), ...(options.ca === undefined ? {} : { ca: options.ca }), ...(dispatcher === undefined ? {} : { dispatcher }) },
    timeoutMs,
    maxRetries: checkMaxRetries(options.maxRetries, 'maxRetries', fail) ?? DEFAULT_MAX_RETRIES,
    retry: checkRetry(options.retry, 'retry', fail),
    logger: safeLogger(checkFunction(options.logger, 'logger', fail)),
    authorizer,
    encryption,
    encryptionRules: options.encryptionRules,
  };
}
