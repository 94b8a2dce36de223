import { McapiError } from '@mcapi/errors';
import type { Agent, Dispatcher } from 'undici';
import { createTrackedConnector, retainConnectionTracking } from './connection-tracker.js';
import { loadUndici } from './load-undici.js';
import { mapTransportError } from './map-transport-error.js';
import { readBody } from './read-body.js';
import { reportTiming } from './report-timing.js';
import { resolveCa } from './resolve-ca.js';
import { type TlsIdentity, resolveCredentials } from './resolve-credentials.js';
import { type ResolvedProxy, resolveProxy } from './proxy/resolve-proxy.js';
import { createTunnelConnector } from './proxy/tunnel-connector.js';
import { type ResolvedSettings, resolveOptions } from './resolve-options.js';
import { createTrace, tracedDispatcher } from './traced-dispatcher.js';
import type { MtlsCredentials, MtlsTransport, MtlsTransportOptions, TransportRequest, TransportResponse } from './types.js';

/**
 * Creates a pooled HTTPS transport that presents a client certificate (mTLS), on the npm
 * `undici` package. Credentials are parsed and checked here, once: a key that does not match its
 * certificate, or an expired certificate, fails now rather than on the first request; one
 * expiring within `expiryWarningDays` is reported through `onWarning`.
 *
 * Server certificates are always verified; `ca` replaces the default roots.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is invalid, or certificate and key do not fit together (at construction).
 * @throws {McapiError} `ERR_KEY_FORMAT` when the client certificate or key cannot be read.
 * @throws {McapiError} `ERR_CERTIFICATE_EXPIRED` when the client certificate has expired (`ERR_CERTIFICATE_NOT_YET_VALID` before its start).
 * @throws {McapiError} `ERR_MTLS_HANDSHAKE_REJECTED` when (requests) the server refused the client certificate; also `ERR_TLS_SERVER_UNTRUSTED`, `ERR_TLS_HOSTNAME_MISMATCH`, `ERR_CONNECT_TIMEOUT`, `ERR_HEADERS_TIMEOUT`, `ERR_BODY_TIMEOUT`, `ERR_RESPONSE_TOO_LARGE`, `ERR_CONNECTION`, `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * const transport = createMtlsTransport({
 *   credentials: { pkcs12: { path: './sandbox.p12' }, passphrase: process.env.P12_PASSWORD!, alias: 'keyalias' },
 *   onTiming: (t) => metrics.observe('mastercard.tls_ms', t.tlsMs ?? 0),
 * });
 * const response = await transport.request({ method: 'GET', url: 'https://sandbox.api.mastercard.com/…' });
 * // after rotating the certificate on Mastercard Developers:
 * await transport.reload({ cert: { path: './new.crt.pem' }, key: { path: './new.key.pem' } });
 * await transport.close();
 * ```
 */
export function createMtlsTransport(options: MtlsTransportOptions): MtlsTransport {
  const settings = resolveOptions(options);
  const undiciRequest = loadUndici().request;
  const ca = options.ca === undefined ? undefined : resolveCa(options.ca);
  // A caller-supplied dispatcher decides its own routing; otherwise the option, then the environment.
  const proxy = options.dispatcher === undefined ? resolveProxy(options.proxy, process.env) : undefined;
  const resolve = (credentials: MtlsCredentials): TlsIdentity =>
    resolveCredentials(credentials, { expiryWarningDays: settings.expiryWarningDays, onWarning: settings.onWarning });
  const sink = { onTiming: options.onTiming, onWarning: settings.onWarning };

  const external = options.dispatcher;
  let identity = options.credentials === undefined ? undefined : resolve(options.credentials);
  let owned: Agent | undefined = external === undefined ? createAgent(identity, settings, { ca, servername: options.servername, proxy }) : undefined;
  let current: Dispatcher = owned ?? external!;
  let traced = tracedDispatcher(current);
  // Agents replaced by reload(), closing once their in-flight requests have finished.
  const draining = new Set<Promise<void>>();
  const release = retainConnectionTracking();
  let closing: Promise<void> | undefined;

  async function request(input: TransportRequest): Promise<TransportResponse> {
    if (closing !== undefined) throw new McapiError('ERR_CONNECTION', 'This transport is closed; create a new one.');
    const url = parseRequestUrl(input);
    const trace = createTrace();
    // The certificate this request presents, for the error message, even if a reload follows.
    const presented = identity;
    // Built field by field: this is the hot path, and conditional spreads allocate.
    const options: Parameters<typeof undiciRequest>[1] = { dispatcher: traced, method: input.method as Dispatcher.HttpMethod, opaque: trace };
    if (input.headers !== undefined) options.headers = input.headers as Record<string, string | string[]>;
    if (input.body !== undefined) options.body = input.body;
    if (input.signal !== undefined) options.signal = input.signal;
    try {
      // `traced` was read and the request is dispatched in the same tick: a reload() cannot
      // close the agent in between, and a request already dispatched keeps its agent.
      const response = await undiciRequest(url, options);
      const body = await readBody(response.body, response.headers['content-length'], settings.maxResponseSize, url.origin);
      reportTiming(sink, trace, input.method, url, { status: response.statusCode });
      // undici's `request` never leaves a header value undefined; the wider type is Node's.
      return { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, body };
    } catch (error) {
      const mapped = mapTransportError(error, {
        origin: url.origin,
        trace,
        signal: input.signal,
        clientCertificate: presented && `"${presented.certificate.subject.replace(/\n/g, ', ')}" (public key ${presented.fingerprint})`,
        ...settings,
      });
      reportTiming(sink, trace, input.method, url, { errorCode: mapped.code });
      throw mapped;
    }
  }

  async function reload(credentials: MtlsCredentials): Promise<void> {
    if (owned === undefined) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        'reload() needs transport-owned connections; this transport sends through a caller-supplied dispatcher.',
      );
    }
    if (closing !== undefined) throw new McapiError('ERR_CONNECTION', 'This transport is closed; create a new one.');
    // Everything that can fail happens before the swap, so a bad certificate keeps the old one.
    const next = resolve(credentials);
    const previous = owned;
    owned = createAgent(next, settings, { ca, servername: options.servername, proxy });
    current = owned;
    traced = tracedDispatcher(owned);
    identity = next;
    // Agent.close() lets queued and in-flight requests finish on the old connections, then
    // closes them; new requests already go to the new agent.
    const drained: Promise<void> = previous
      .close()
      .catch(() => previous.destroy())
      .finally(() => draining.delete(drained));
    draining.add(drained);
  }

  function close(): Promise<void> {
    closing ??= Promise.all([owned?.close(), ...draining]).then(release, (error: unknown) => {
      release();
      throw mapTransportError(error, {
        origin: 'the server',
        trace: createTrace(),
        signal: undefined,
        clientCertificate: undefined,
        ...settings,
      });
    });
    return closing;
  }

  return {
    request,
    reload,
    close,
    get dispatcher() {
      return current;
    },
  };
}

interface ConnectionSettings {
  ca: string[] | undefined;
  servername: string | undefined;
  proxy: ResolvedProxy | undefined;
}

function createAgent(identity: TlsIdentity | undefined, settings: ResolvedSettings, { ca, servername, proxy }: ConnectionSettings): Agent {
  // undici takes TLS options directly in `connect` (there is no `connect.tls`); a connector
  // function gets them the same way, plus our connection bookkeeping. Through a proxy the same
  // TLS connector runs inside the CONNECT tunnel, so the client certificate and the server
  // check are end to end.
  const connectOrigin = createTrackedConnector({
    ...(identity !== undefined && { key: identity.key, cert: identity.cert }),
    ...(ca !== undefined && { ca }),
    ...(servername !== undefined && { servername }),
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    allowH2: settings.allowH2,
    timeout: settings.connectTimeout,
  });
  const connect = proxy === undefined ? connectOrigin : createTunnelConnector(proxy, connectOrigin, settings.connectTimeout);
  const { Agent } = loadUndici();
  return new Agent({
    connect,
    connections: settings.connections,
    keepAliveTimeout: settings.keepAliveTimeout,
    keepAliveMaxTimeout: settings.keepAliveMaxTimeout,
    allowH2: settings.allowH2,
    headersTimeout: settings.headersTimeout,
    bodyTimeout: settings.bodyTimeout,
    maxResponseSize: settings.maxResponseSize,
  });
}

function parseRequestUrl(input: TransportRequest): URL {
  if (typeof input !== 'object' || input === null || typeof input.method !== 'string') {
    throw new McapiError('ERR_INVALID_OPTION', 'request needs { method, url }.');
  }
  let url: URL;
  try {
    url = input.url instanceof URL ? input.url : new URL(input.url);
  } catch (cause) {
    throw new McapiError('ERR_INVALID_OPTION', 'request url is not an absolute URL.', { cause });
  }
  if (url.protocol !== 'https:') {
    throw new McapiError('ERR_INVALID_OPTION', `request url must be https: (got ${url.protocol}); mTLS needs TLS.`);
  }
  return url;
}
