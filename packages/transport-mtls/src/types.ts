import type { KeyObject, X509Certificate } from 'node:crypto';
import type { McapiErrorCode } from '@mcapi/errors';
import type { LoadedKey } from '@mcapi/keys';
import type { Dispatcher } from 'undici';

/**
 * PEM text, DER/PEM bytes, a file, or an environment variable holding PEM (line breaks may be
 * written `\n`) or base64 of PEM, DER or PKCS#12. Strings must be PEM text: a path goes in
 * `{ path }`, a variable name in `{ env }`.
 */
export type MaterialSource = string | Uint8Array | { path: string } | { env: string };

/** A client certificate (leaf first, then intermediates) and its private key. */
export interface PemCredentials {
  /** PEM/DER certificate or chain, a file, or parsed certificates (leaf first). */
  cert: MaterialSource | X509Certificate | readonly X509Certificate[];
  /** PEM/DER private key (PKCS#1, PKCS#8, encrypted PKCS#8, SEC1), a file, or a `KeyObject`. */
  key: MaterialSource | KeyObject;
  /** For an encrypted key. Never logged. */
  passphrase?: string;
  /** Read the key's passphrase from this environment variable instead. */
  passphraseEnv?: string;
}

/** A PKCS#12 keystore (modern or legacy RC2-40/3DES), read in JavaScript by `@mcapi/keys`. */
export interface Pkcs12Credentials {
  /** Bytes, a file, or an environment variable holding the keystore in base64. */
  pkcs12: Uint8Array | { path: string } | { env: string };
  /** The keystore password (Mastercard sandbox downloads: `keystorepassword`). */
  passphrase?: string;
  /** Read the keystore password from this environment variable instead. */
  passphraseEnv?: string;
  /** Entry name (friendlyName), e.g. `keyalias`; optional when the file holds one key. */
  alias?: string;
}

/**
 * Where the client certificate comes from: PEM/DER parts, a PKCS#12 keystore, or a keyring's
 * active `mtls` entry (`keyring.active('mtls', env)`).
 *
 * @example
 * ```ts
 * const fromFiles: MtlsCredentials = { cert: { path: 'client.crt.pem' }, key: { path: 'client.key.pem' }, passphrase };
 * const fromKeystore: MtlsCredentials = { pkcs12: { path: 'sandbox.p12' }, passphrase: 'keystorepassword', alias: 'keyalias' };
 * const fromKeyring: MtlsCredentials = keyring.active('mtls', 'sandbox');
 * const fromEnvironment: MtlsCredentials = { pkcs12: { env: 'MC_MTLS_P12' }, passphraseEnv: 'MC_MTLS_P12_PASS', alias: 'keyalias' };
 * ```
 */
export type MtlsCredentials = PemCredentials | Pkcs12Credentials | LoadedKey;

/** Trusted roots: replaces Node's default CA list when given. */
export type CaSource = MaterialSource | X509Certificate | readonly (MaterialSource | X509Certificate)[];

/**
 * An HTTP(S) proxy that requests reach Mastercard through, by `CONNECT` tunnels. A URL string
 * may carry credentials (`http://user:pass@proxy.corp:3128`); they are sent only to the proxy
 * (`Proxy-Authorization: Basic`) and never appear in errors or logs.
 *
 * @example
 * ```ts
 * const proxy: ProxyOption = { url: 'https://proxy.corp:8443', username: 'svc-mastercard', password: process.env.PROXY_PASSWORD!, ca: { path: '/etc/corp/proxy-ca.pem' }, noProxy: ['.corp.internal'] };
 * ```
 */
export type ProxyOption =
  | string
  | URL
  | false
  | {
      /** `http://host:port` or `https://host:port` (TLS to the proxy too). */
      url: string | URL;
      username?: string;
      /** Never logged. */
      password?: string;
      /** Roots for an `https:` proxy's own certificate (not Mastercard's: that is `ca`). */
      ca?: CaSource;
      /** Hosts that go direct, as in `NO_PROXY`. */
      noProxy?: string | readonly string[];
    };

/**
 * Where the time of one request went. Durations are milliseconds, from `performance.now()`.
 *
 * @example
 * ```ts
 * createMtlsTransport({ credentials, onTiming: (t) => {
 *   if (t.newConnection) histogram('tls_handshake_ms').observe(t.tlsMs ?? 0);
 *   histogram('ttfb_ms').observe(t.firstByteMs ?? t.totalMs);
 * } });
 * ```
 */
export interface RequestTiming {
  method: string;
  /** Origin and path, without the query string (which may carry identifiers). */
  url: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The error code, when the request failed. */
  errorCode?: McapiErrorCode;
  /** True when this request opened the connection it was sent on (it paid connect + TLS). */
  newConnection: boolean;
  /** TCP connect time, on a new connection. */
  connectMs?: number;
  /** TLS handshake time, on a new connection. */
  tlsMs?: number;
  /** From the call to the response headers (time to first byte, including any queueing). */
  firstByteMs?: number;
  /** From the call to the last body byte, or to the failure. */
  totalMs: number;
  /** `h2` or `http/1.1`, when known. */
  protocol?: string;
}

/** Receives non-fatal findings, such as a client certificate that expires soon. */
export type TransportWarningHandler = (message: string) => void;

/**
 * Options of `createMtlsTransport`. Validated once, at construction; unknown keys are refused
 * (so a misspelt option, or an attempt to turn verification off, fails loudly).
 *
 * @example
 * ```ts
 * const options: MtlsTransportOptions = {
 *   credentials: keyring.active('mtls', 'production'),
 *   connections: 16,
 *   headersTimeout: 20_000,
 *   onWarning: (message) => logger.warn(message),
 * };
 * ```
 */
export interface MtlsTransportOptions {
  /**
   * The client certificate and key presented in every TLS handshake. Without it no certificate
   * is sent (APIs authenticated by OAuth alone); a server that demands one then fails with
   * `ERR_MTLS_HANDSHAKE_REJECTED`.
   */
  credentials?: MtlsCredentials;
  /** Trusted roots for the server certificate; replaces Node's default roots when given. */
  ca?: CaSource;
  /** TLS SNI and the name the server certificate must match. Default: the URL's host. */
  servername?: string;
  /** Connections per origin. Default 10. */
  connections?: number;
  /** Idle time before a pooled connection is closed (ms), unless the server says less. Default 4 000. */
  keepAliveTimeout?: number;
  /** Upper bound for a server-announced keep-alive time (ms). Default 600 000. */
  keepAliveMaxTimeout?: number;
  /** Offer HTTP/2 through ALPN. Default false: Mastercard's gateways speak HTTP/1.1. */
  allowH2?: boolean;
  /** TCP + TLS connect timeout (ms). Default 10 000. */
  connectTimeout?: number;
  /** Time to wait for response headers (ms). Default 30 000. */
  headersTimeout?: number;
  /** Maximum idle time between body chunks (ms). Default 30 000. */
  bodyTimeout?: number;
  /** Largest response body accepted, in bytes. Default 16 MiB. */
  maxResponseSize?: number;
  /** A client certificate expiring within this many days triggers `onWarning`. Default 30. */
  expiryWarningDays?: number;
  /** Non-fatal findings. Default: `process.emitWarning`. */
  onWarning?: TransportWarningHandler;
  /** Called once per request with where its time went. */
  onTiming?: (timing: RequestTiming) => void;
  /**
   * Reach servers through an HTTP(S) proxy with `CONNECT` tunnels; the client certificate and the
   * server-certificate check stay end to end. Default: `HTTPS_PROXY` / `https_proxy`, with
   * `NO_PROXY` / `no_proxy` exemptions, read once at construction; `false` ignores them.
   */
  proxy?: ProxyOption;
  /**
   * Send through this dispatcher instead of a transport-owned pool (tests with `MockAgent`, a
   * proxy). Exclusive with `credentials` and the TLS/pool options; never closed by `close()`.
   */
  dispatcher?: Dispatcher;
}

/**
 * One HTTP request.
 *
 * @example
 * ```ts
 * await transport.request({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal });
 * ```
 */
export interface TransportRequest {
  method: string;
  /** An `https:` URL. */
  url: string | URL;
  headers?: Record<string, string | readonly string[]>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** One HTTP response with its body read completely. */
export interface TransportResponse {
  status: number;
  /** Lower-case names; repeated headers as arrays. */
  headers: Record<string, string | string[]>;
  body: Uint8Array;
}

/**
 * What `createMtlsTransport` returns.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await transport.request({ method: 'GET', url });
 * process.on('SIGHUP', async () => { await keyring.reload(); await transport.reload(keyring.active('mtls', 'production')); });
 * ```
 */
export interface MtlsTransport {
  /** Sends a request and reads its body. Failures are `McapiError`s. */
  request(request: TransportRequest): Promise<TransportResponse>;
  /**
   * Switches to new credentials: new connections present the new certificate; requests already
   * in flight finish on their connections, which are closed afterwards. Validates first: on
   * error the old credentials stay in use.
   */
  reload(credentials: MtlsCredentials): Promise<void>;
  /** Waits for in-flight requests, then closes every connection the transport opened. */
  close(): Promise<void>;
  /** The dispatcher requests currently go through (changes on `reload`). */
  readonly dispatcher: Dispatcher;
}
