import type { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import type { KidOption } from '@mcapi/jwe';
import type { Keyring } from '@mcapi/keys';
import type { CaSource, MtlsCredentials } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import { type BenefitAllocationApi, createBenefitAllocationApi } from '../apis/benefit-allocation.js';
import { type CrossBorderApi, createCrossBorderApi } from '../apis/cross-border.js';
import { type OAuth1Credentials, oauth1Authorizer, type RequestTokenCredentials, requestTokenAuthorizer } from '../auth/authorizers.js';
import * as oauth2 from '../auth/oauth2-authorizers.js';
import { createPayloadCrypto } from '../encryption/payload-crypto.js';
import { crossBorderWrapper, type EncryptionWrapper } from '../encryption/wrapper.js';
import { type EnvironmentOption, type EnvironmentUrls, resolveEnvironment } from '../environment/environments.js';
import { type ClientLogEvent, safeLogger } from '../logging/logger.js';
import { type Authorizer, authorizeStep } from '../pipeline/authorize-step.js';
import { encryptStep } from '../pipeline/encrypt-step.js';
import { logStep } from '../pipeline/log-step.js';
import type { RetryPolicyOptions } from '../pipeline/retry-policy.js';
import { retryStep } from '../pipeline/retry-step.js';
import { serializeStep } from '../pipeline/serialize-step.js';
import { transportHandler } from '../pipeline/transport-handler.js';
import { compose, type Step, type Transport } from '../pipeline/types.js';
import { createApiTransport } from '../transport/api-transport.js';
import { createApiCaller } from './api-caller.js';

/** JWE keys: Mastercard's request-encryption certificate and our response-decryption keys. */
export interface EncryptionCredentials {
  /** Mastercard's "client encryption" certificate (or its public key). */
  encryptionKey: KeyObject | X509Certificate;
  /** Request `kid`; default the public-key fingerprint. */
  kid?: KidOption;
  /** Our private key(s); a function is called per response (rotation without restart). */
  decryptionKeys: KeyObject | ReadonlyMap<string, KeyObject> | (() => ReadonlyMap<string, KeyObject>);
}

/** Options of {@link createClient}. Checked once, at construction. */
export interface ClientOptions {
  /** `'sandbox' | 'production' | 'mtf-eu' | …`, or base URLs per API (e.g. the local sandbox). */
  environment: EnvironmentOption;
  /**
   * Take every credential from a keyring (`openKeyring(dir)`): active `mtls`, `signing` (with its
   * consumer key) and `request-encryption` keys, and all `response-decryption` keys by kid, read
   * again after `keyring.reload()`. Explicit options below win over the keyring.
   */
  keyring?: Keyring;
  /** Client certificate for Benefit Allocation (PEM parts, PKCS#12, or a keyring entry). */
  mtls?: MtlsCredentials;
  /** OAuth 1.0a signing for Cross-Border. */
  oauth1?: OAuth1Credentials;
  /** Cross-Border request token (MTS EU/UK) instead of OAuth 1.0a. */
  requestToken?: RequestTokenCredentials;
  /** OAuth 2.0 for Cross-Border (FAPI 2.0: private_key_jwt + DPoP via `createFapi2Client`); see the README's OAuth 2.0 section. */
  oauth2?: oauth2.OAuth2Credentials;
  /** JWE keys. */
  encryption?: EncryptionCredentials;
  /** Trusted roots replacing Node's defaults (the local sandbox's CA). */
  ca?: CaSource;
  /** Per-attempt timeout in ms; default 60 000. */
  timeout?: number;
  /** Retries of safe failures; default 2. */
  maxRetries?: number;
  /** Backoff tuning (initial and maximum delay, longest honoured Retry-After). */
  retry?: Omit<RetryPolicyOptions, 'random' | 'now'>;
  /** Receives redacted request, response, retry and error events with timings. */
  logger?: (event: ClientLogEvent) => void;
  /**
   * Send through this undici dispatcher (a proxy, a `MockAgent`, your own pool) instead of the
   * transports the client creates; per API, or one for both. Never closed by `close()`.
   */
  dispatcher?: Dispatcher | { benefitAllocation?: Dispatcher; crossBorder?: Dispatcher };
  /** Header carrying a per-call correlation id (same on every retry); `false` for none. Default `x-mc-correlation-id`. */
  correlationIdHeader?: string | false;
  benefitAllocation?: {
    /** Member holding the JWE in requests; default `encryptedData` (Mastercard does not document BAS's). */
    encryptedFieldName?: string;
    /** Member holding the JWE in responses; default the request one. */
    responseEncryptedFieldName?: string;
  };
  crossBorder?: {
    /** Default `partner-id` path parameter. */
    partnerId?: string;
    /** Encrypt bodies (and ask for encrypted responses); default true when `encryption` is available. */
    encrypt?: boolean;
    /** A custom authorizer (e.g. to add headers of your own) instead of `oauth1` / `requestToken`. */
    authorizer?: Authorizer;
    /** Which credentials authenticate Cross-Border calls when several are configured. */
    auth?: oauth2.CrossBorderAuth;
    /** Authorization code client (or its options) for the balance APIs (MTS EU/UK). */
    balances?: oauth2.BalanceCredentials;
  };
}

/** What {@link createClient} returns. */
export interface McapiClient {
  readonly benefitAllocation: BenefitAllocationApi;
  readonly crossBorder: CrossBorderApi;
  /** Closes the connections the client opened (never a dispatcher you passed in). */
  close(): Promise<void>;
}

/**
 * Creates a typed client for Benefit Allocation (mTLS + JWE) and Cross-Border Services (OAuth 1.0a
 * or request token + JWE). Each call runs: serialise (lossless) → encrypt → retry loop → sign
 * (fresh nonce each attempt) → transport; and back: decrypt by kid → parse → typed error.
 *
 * @example
 * ```ts
 * const client = createClient({
 *   environment: 'sandbox',
 *   keyring: await openKeyring('./.mcapi/keyring'),
 *   crossBorder: { partnerId: 'SANDBOX_1234567' },
 * });
 * const { bundles } = await client.benefitAllocation.assignSegment({
 *   cardNumber: '5291070000000000', segments: [{ code: 'DART', effectiveDate: '2026-11-25' }],
 * });
 * await client.close();
 * ```
 */
export function createClient(options: ClientOptions): McapiClient {
  const fail = (message: string): never => {
    throw new McapiError('ERR_INVALID_OPTION', `createClient: ${message}.`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  if (options.environment === undefined) fail('environment is required');
  const urls = resolveEnvironment(options.environment, fail);
  const timeoutMs = options.timeout ?? 60_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail('timeout must be a positive number of milliseconds');
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) fail('maxRetries must be an integer from 0 to 10');
  const correlationIdHeader = options.correlationIdHeader ?? 'x-mc-correlation-id';
  if (correlationIdHeader !== false && !/^[A-Za-z0-9-]+$/.test(correlationIdHeader)) fail('correlationIdHeader must be a header name or false');
  const logger = safeLogger(options.logger);
  const credentials = resolveCredentials(options, urls);
  const crypto = credentials.encryption ? createPayloadCrypto(credentials.encryption) : undefined;
  const transports: Transport[] = [];
  const dispatcherFor = (api: 'benefitAllocation' | 'crossBorder'): Dispatcher | undefined => {
    const option = options.dispatcher;
    if (option === undefined) return undefined;
    return isDispatcher(option) ? option : option[api];
  };

  const pipeline = (
    baseUrl: string,
    wrapper: EncryptionWrapper | undefined,
    authorizer: Authorizer | undefined,
    transport: Transport,
    transportEnforcesTimeout: boolean,
  ) => {
    transports.push(transport);
    const steps: Step[] = [serializeStep()];
    if (wrapper && crypto) steps.push(encryptStep(crypto, wrapper, logger));
    steps.push(retryStep({ ...options.retry, ...(logger === undefined ? {} : { logger }) }));
    if (logger) steps.push(logStep(logger));
    if (authorizer) steps.push(authorizeStep(authorizer));
    const handler = compose(steps, transportHandler(transport, transportEnforcesTimeout ? { enforcedTimeoutMs: timeoutMs } : {}));
    return createApiCaller(handler, { baseUrl, timeoutMs, maxRetries, correlationIdHeader });
  };

  let benefitAllocation: BenefitAllocationApi;
  if (urls.benefitAllocation && credentials.mtls && crypto) {
    const dispatcher = dispatcherFor('benefitAllocation');
    const transport = createApiTransport({ credentials: credentials.mtls, ca: options.ca, dispatcher, timeoutMs });
    const requestField = options.benefitAllocation?.encryptedFieldName ?? 'encryptedData';
    const wrapper: EncryptionWrapper = {
      style: 'field',
      requestField,
      responseField: options.benefitAllocation?.responseEncryptedFieldName ?? requestField,
    };
    benefitAllocation = createBenefitAllocationApi(pipeline(urls.benefitAllocation, wrapper, undefined, transport, !dispatcher));
  } else {
    benefitAllocation = unavailable<BenefitAllocationApi>(
      'benefitAllocation',
      !urls.benefitAllocation ? 'this environment has no Benefit Allocation URL' : !credentials.mtls ? 'mtls (or a keyring with an active mtls key)' : 'encryption (or a keyring with request-encryption and response-decryption keys)',
    );
  }

  let crossBorder: CrossBorderApi;
  const authorizer = credentials.authorizer;
  if (urls.crossBorder && authorizer) {
    const dispatcher = dispatcherFor('crossBorder');
    // No client certificate here: OAuth 1.0a authenticates each request.
    const transport = createApiTransport({ ca: options.ca, dispatcher, timeoutMs });
    const encrypt = options.crossBorder?.encrypt ?? crypto !== undefined;
    if (encrypt && !crypto) fail('crossBorder.encrypt needs encryption keys (encryption or keyring)');
    crossBorder = createCrossBorderApi(
      pipeline(urls.crossBorder, encrypt ? crossBorderWrapper : undefined, authorizer, transport, !dispatcher),
      options.crossBorder?.partnerId,
    );
  } else {
    crossBorder = unavailable<CrossBorderApi>(
      'crossBorder',
      !urls.crossBorder ? 'this environment has no Cross-Border URL' : 'oauth1, requestToken or a keyring with an active signing key that has a consumer key',
    );
  }

  return {
    benefitAllocation,
    crossBorder,
    async close() {
      await Promise.all(transports.map((transport) => transport.close?.()));
      await oauth2.closeAuthorizerResources(credentials.authorizer);
    },
  };
}

interface ResolvedCredentials {
  mtls?: MtlsCredentials;
  encryption?: EncryptionCredentials;
  authorizer?: Authorizer;
}

function resolveCredentials(options: ClientOptions, urls: EnvironmentUrls): ResolvedCredentials {
  const { keyring } = options;
  const env = urls.keyEnvironment;
  const fromKeyring = <T>(read: (ring: Keyring) => T): T | undefined => {
    if (!keyring) return undefined;
    try {
      return read(keyring);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_KEYRING_ENTRY') return undefined;
      throw error;
    }
  };
  const out: ResolvedCredentials = {};
  const mtls = options.mtls ?? fromKeyring((ring) => ring.active('mtls', env));
  if (mtls) out.mtls = mtls;

  const encryption =
    options.encryption ??
    fromKeyring((ring): EncryptionCredentials | undefined => {
      const key = ring.active('request-encryption', env);
      const encryptionKey = key.certificate ?? key.publicKey;
      return { encryptionKey, decryptionKeys: () => ring.decryptionKeys(env) };
    });
  if (encryption) out.encryption = encryption;

  const authInputs = oauth2.crossBorderAuthInputs(options, () => fromKeyring((ring) => ring.active('signing', env)));
  const selected = options.crossBorder?.authorizer ? undefined : oauth2.selectCrossBorderAuthorizer(authInputs);
  if (options.crossBorder?.authorizer) out.authorizer = options.crossBorder.authorizer;
  else if (selected) out.authorizer = selected;
  else if (options.requestToken) out.authorizer = requestTokenAuthorizer(options.requestToken);
  else {
    const oauth1 =
      options.oauth1 ??
      fromKeyring((ring): OAuth1Credentials | undefined => {
        const key = ring.active('signing', env);
        if (!key.privateKey || !key.entry.consumerKey) return undefined;
        return { consumerKey: key.entry.consumerKey, signingKey: key.privateKey };
      });
    if (oauth1) {
      if (typeof oauth1.consumerKey !== 'string' || oauth1.consumerKey === '') {
        throw new McapiError('ERR_INVALID_OPTION', 'createClient: oauth1.consumerKey must be the consumer key from your Mastercard Developers project.');
      }
      out.authorizer = oauth1Authorizer(oauth1);
    }
  }
  const withBalances = oauth2.withBalanceAuthorizer(out.authorizer, options.crossBorder?.balances, authInputs);
  if (withBalances) out.authorizer = withBalances;
  return out;
}

function isDispatcher(value: object): value is Dispatcher {
  return typeof (value as Dispatcher).dispatch === 'function';
}

// A group whose credentials were not configured: every call fails with a message naming what is
// missing, instead of the whole client refusing to construct.
function unavailable<T extends object>(group: string, missing: string): T {
  const error = () => new McapiError('ERR_INVALID_OPTION', `client.${group} is not configured: ${missing}.`);
  const handler: ProxyHandler<object> = {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      return new Proxy(() => undefined, {
        get: handler.get!,
        apply: () => Promise.reject(error()),
      });
    },
  };
  return new Proxy({}, handler) as T;
}

