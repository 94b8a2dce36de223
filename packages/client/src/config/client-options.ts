import type { KeyObject, X509Certificate } from 'node:crypto';
import type { DecryptionKey, KidOption } from '@mcapi/jwe';
import type { Keyring } from '@mcapi/keys';
import type { CaSource, MtlsCredentials, ProxyOption } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { OAuth1Credentials, RequestTokenCredentials } from '../auth/authorizers.js';
import type { BalanceCredentials, CrossBorderAuth, OAuth2Credentials } from '../auth/oauth2-authorizers.js';
import type { EnvironmentOption } from '../environment/environments.js';
import type { ClientLogEvent } from '../logging/logger.js';
import type { Authorizer } from '../pipeline/authorize-step.js';
import type { RetryPolicyOptions } from '../pipeline/retry-policy.js';

/** How Benefit Allocation calls authenticate: the mTLS product, or the OAuth 1.0a product. */
export type BenefitAllocationAuth = 'mtls' | 'oauth1';

/** JWE keys: Mastercard's request-encryption certificate and our response-decryption keys. */
export interface EncryptionCredentials {
  /** Mastercard's "client encryption" certificate (or its public key). */
  encryptionKey: KeyObject | X509Certificate;
  /** Request `kid`; default the public-key fingerprint. */
  kid?: KidOption;
  /** Our private key(s); a function is called per response (rotation without restart). */
  decryptionKeys: DecryptionKey | ReadonlyMap<string, DecryptionKey> | (() => ReadonlyMap<string, DecryptionKey>);
}

/**
 * Backoff tuning, and the clock the retry loop uses: `now`, `random` and `sleep` are injectable so
 * tests (yours and ours) wait for nothing and assert exact delays.
 */
export interface RetryOptions extends RetryPolicyOptions {
  /** Waits between attempts; default `timers/promises` setTimeout, aborted by the call's signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The undici dispatcher option: one for both APIs, or one per API. */
export type DispatcherOption = Dispatcher | { benefitAllocation?: Dispatcher; crossBorder?: Dispatcher };

/** Options of `createClient`. Checked once, at construction (`resolveConfig`). */
export interface ClientOptions {
  /** `'sandbox' | 'production' | 'mtf-eu' | …`, or base URLs per API (e.g. the local sandbox). */
  environment: EnvironmentOption;
  /**
   * Take every credential from a keyring (`openKeyring(dir)`): active `mtls`, `signing` (with its
   * consumer key) and `request-encryption` keys, and all `response-decryption` keys by kid. Each
   * request uses the keys active at that moment, so a rotation reaches the running client after
   * `keyring.reload()` or a watched keyring's own reload (a new mTLS certificate reloads the pool;
   * requests in flight finish on the old connections). Explicit options below win over the
   * keyring and are never replaced.
   */
  keyring?: Keyring;
  /** Client certificate for Benefit Allocation (PEM parts, PKCS#12, or a keyring entry). */
  mtls?: MtlsCredentials;
  /** OAuth 1.0a signing for Cross-Border. */
  oauth1?: OAuth1Credentials;
  /** Cross-Border request token (MTS EU/UK) instead of OAuth 1.0a. */
  requestToken?: RequestTokenCredentials;
  /** OAuth 2.0 for Cross-Border (FAPI 2.0: private_key_jwt + DPoP via `createFapi2Client`); see the README's OAuth 2.0 section. */
  oauth2?: OAuth2Credentials;
  /** JWE keys. */
  encryption?: EncryptionCredentials;
  /** Trusted roots replacing Node's defaults (the local sandbox's CA). Not with `dispatcher` (it owns its connections). */
  ca?: CaSource | undefined;
  /**
   * The HTTP(S) proxy every connection goes through (API calls and OAuth 2.0 token requests), by
   * `CONNECT` with TLS to Mastercard inside the tunnel: a URL (credentials in it go to the proxy
   * only), `{ url, username?, password?, ca?, noProxy? }`, or `false` to ignore the environment.
   * Default: `HTTPS_PROXY` / `NO_PROXY`. Not with `dispatcher`.
   */
  proxy?: ProxyOption;
  /** Per-attempt timeout in ms; default 60 000. */
  timeout?: number;
  /** Retries of safe failures; default 2, at most 10. */
  maxRetries?: number;
  /** Backoff tuning (initial and maximum delay, longest honoured Retry-After) and an injectable clock. */
  retry?: RetryOptions;
  /** Receives redacted request, response, retry and error events with timings. */
  logger?: (event: ClientLogEvent) => void;
  /**
   * Send through this undici dispatcher (a proxy, a `MockAgent`, your own pool) instead of the
   * transports the client creates; per API, or one for both. Never closed by `close()`. The
   * dispatcher owns TLS: `ca` and `mtls` (explicit or from the keyring) are refused with it.
   */
  dispatcher?: DispatcherOption;
  /** Header carrying a per-call correlation id (same on every retry); `false` for none. Default `x-mc-correlation-id`. */
  correlationIdHeader?: string | false;
  benefitAllocation?: {
    /**
     * Which Benefit Allocation product: `'mtls'` (default; the client certificate authenticates,
     * `mtf.services.mastercard.com` / `services.mastercard.com`) or `'oauth1'` (OAuth 1.0a over
     * the exact encrypted bytes, as Cross-Border; `sandbox.api.mastercard.com` /
     * `api.mastercard.com`, credentials from `oauth1` or the keyring's signing key).
     */
    auth?: BenefitAllocationAuth;
    /** Member holding the JWE in requests; default `encryptedData` (Mastercard does not document BAS's). */
    encryptedFieldName?: string;
    /** Member holding the JWE in responses; default the request one. */
    responseEncryptedFieldName?: string;
  };
  crossBorder?: {
    /**
     * A client certificate for Cross-Border too, next to OAuth 1.0a, the request token or OAuth
     * 2.0 (MTS EU/UK MTF and production hosts ask for one; their sandbox does not): credentials,
     * `true` for the client's `mtls` (or the keyring's active mtls key), `false` for none.
     * Default: presented on `mtf-eu`, `production-eu`, `mtf-uk` and `production-uk` when the client
     * has one, not elsewhere. OAuth 2.0 token requests present it too.
     */
    mtls?: MtlsCredentials | boolean;
    /** Default `partner-id` path parameter. */
    partnerId?: string;
    /**
     * Encrypt bodies (and ask for encrypted responses). Default true: missing keys are an
     * `ERR_INVALID_OPTION` at construction; only an explicit `false` sends plaintext.
     */
    encrypt?: boolean;
    /** A custom authorizer (e.g. to add headers of your own) instead of `oauth1` / `requestToken`. */
    authorizer?: Authorizer;
    /** Which credentials authenticate Cross-Border calls when several are configured. */
    auth?: CrossBorderAuth;
    /** Authorization code client (or its options) for the balance APIs (MTS EU/UK). */
    balances?: BalanceCredentials;
  };
}
