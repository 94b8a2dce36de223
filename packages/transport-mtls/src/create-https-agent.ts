import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as connectTls, type ConnectionOptions, createSecureContext } from 'node:tls';
import { McapiError } from '@mcapi/errors';
import { openTunnel } from './proxy/open-tunnel.js';
import { resolveProxy } from './proxy/resolve-proxy.js';
import { resolveCa } from './resolve-ca.js';
import { resolveCredentials } from './resolve-credentials.js';
import type { CaSource, MtlsCredentials, ProxyOption, TransportWarningHandler } from './types.js';

/**
 * Options of {@link createHttpsAgent}: the TLS and proxy options of `createMtlsTransport`, for
 * HTTP clients built on `node:https` (axios, got, node-fetch) instead of undici.
 */
export interface HttpsAgentOptions {
  /** The client certificate presented in every handshake; none without it. */
  credentials?: MtlsCredentials;
  /** Trusted roots replacing Node's defaults. */
  ca?: CaSource;
  /** An HTTP(S) proxy; default `HTTPS_PROXY` / `NO_PROXY`; `false` ignores the environment. */
  proxy?: ProxyOption;
  /** Keep-alive sockets per origin; default 10. */
  connections?: number;
  /** Reaching the server (and, through a proxy, the proxy's CONNECT answer), in ms; default 10 000. */
  connectTimeout?: number;
  /** Warn when the client certificate expires within this many days; default 30. */
  expiryWarningDays?: number;
  onWarning?: TransportWarningHandler;
}

const known = new Set(['credentials', 'ca', 'proxy', 'connections', 'connectTimeout', 'expiryWarningDays', 'onWarning']);
const verificationSwitches = new Set(['rejectUnauthorized', 'insecure', 'checkServerIdentity', 'tls']);

/**
 * A keep-alive `node:https` Agent that presents the client certificate, trusts `ca` and reaches
 * servers through the proxy by `CONNECT`, with TLS to the origin inside the tunnel: the same
 * credential reading and checks (`ERR_KEY_MISMATCH`, expiry) and proxy rules as
 * `createMtlsTransport`, for clients that take an `httpsAgent` (axios). Server certificates are
 * always verified.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION`, `ERR_KEY_FORMAT`, `ERR_CERTIFICATE_EXPIRED` at construction, as `createMtlsTransport`.
 * @example
 * ```ts
 * const httpsAgent = createHttpsAgent({ credentials: keyring.active('mtls', 'sandbox'), proxy: 'http://proxy.corp:3128' });
 * const api = axios.create({ baseURL, httpsAgent, proxy: false });
 * ```
 */
export function createHttpsAgent(options: HttpsAgentOptions = {}): HttpsAgent {
  if (typeof options !== 'object' || options === null) throw new McapiError('ERR_INVALID_OPTION', 'createHttpsAgent needs an options object.');
  for (const key of Object.keys(options)) {
    if (verificationSwitches.has(key)) {
      throw new McapiError('ERR_INVALID_OPTION', `${key} is not an option: server certificate verification cannot be changed or turned off. For a private CA, pass it in ca.`);
    }
    if (!known.has(key)) throw new McapiError('ERR_INVALID_OPTION', `Unknown option ${key}. Known options: ${[...known].join(', ')}.`);
  }
  const connections = positiveInteger(options.connections, 'connections', 10);
  const connectTimeout = positiveInteger(options.connectTimeout, 'connectTimeout', 10_000);
  const expiryWarningDays = options.expiryWarningDays ?? 30;
  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message, { code: 'MCAPI_TRANSPORT_MTLS' }));
  const identity =
    options.credentials === undefined ? undefined : resolveCredentials(options.credentials, { expiryWarningDays, onWarning });
  const ca = options.ca === undefined ? undefined : resolveCa(options.ca);
  const proxy = resolveProxy(options.proxy, process.env);
  // The private key never travels as text in connection options: Node keeps those on
  // `agent.options` and on each socket, where logging the agent (or an axios error holding it)
  // would print the key. A secure context made once holds it natively instead.
  const secret =
    identity === undefined ? {} : { secureContext: createSecureContext({ key: identity.key, cert: identity.cert, minVersion: 'TLSv1.2', ...(ca !== undefined && { ca }) }) };
  const agent = new HttpsAgent({
    keepAlive: true,
    maxSockets: connections,
    timeout: connectTimeout,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ...(ca !== undefined && { ca }),
  } satisfies AgentOptions);
  const direct = agent.createConnection.bind(agent);
  // Node's Agent accepts a connection handed to the callback later (it waits when none is
  // returned): through a proxy, the tunnel opens first, then TLS with the origin runs inside it.
  agent.createConnection = ((connectOptions: ConnectionOptions & { host?: string; port?: number }, callback: (error: Error | null, socket: Duplex) => void) => {
    const options = { ...connectOptions, ...secret, rejectUnauthorized: true };
    const host = connectOptions.host ?? 'localhost';
    const port = Number(connectOptions.port) || 443;
    if (proxy === undefined || proxy.bypass(host, port)) return direct(options, callback);
    openTunnel(proxy, host, port, connectTimeout).then(
      (socket) => callback(null, connectTls({ ...options, socket })),
      (error: Error) => callback(error, undefined as unknown as Duplex),
    );
    return undefined;
  }) as typeof agent.createConnection;
  return agent;
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new McapiError('ERR_INVALID_OPTION', `${name} must be an integer ≥ 1 (got ${String(value)}).`);
  return value;
}
