import { type Server, createServer } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { BAS_BASE_PATH } from './bas/bas-routes.js';
import type { SandboxKeys } from './crypto/sandbox-keys.js';
import type { DashboardLookups } from './dashboard/dashboard.js';
import { DASHBOARD_PREFIX } from './dashboard/dashboard-http.js';
import { type BasServer, createBasServer } from './gateway/bas-server.js';
import { type RequestListener, listenAll, serve, stop } from './http/listen.js';
import type { PresentedCertificates } from './http/client-certificate.js';
import { createTlsServer } from './http/tls-server.js';
import type { ResolvedSandboxOptions } from './sandbox-options.js';

/**
 * Where a running sandbox answers (all on 127.0.0.1).
 *
 * @example
 * ```ts
 * const response = await fetch(`${sandbox.urls.dashboard}/keys`);
 * ```
 */
export interface SandboxUrls {
  /** mTLS HTTPS, base path included: `https://127.0.0.1:<port>/loyalty/benefits`. */
  benefitAllocation: string;
  /** OAuth 1.0a HTTPS origin (paths as on sandbox.api.mastercard.com). */
  crossBorder: string;
  /**
   * Benefit Allocation's OAuth 1.0a product on that origin, base path included:
   * `https://127.0.0.1:<port>/loyalty/benefits` (as `sandbox.api.mastercard.com/loyalty/benefits`).
   */
  benefitAllocationOAuth1: string;
  /** Plain HTTP dashboard API root: `http://127.0.0.1:<port>/_dashboard`. */
  dashboard: string;
  /** OAuth 2.0 HTTPS origin: token/authorize endpoints and the DPoP-protected APIs (see `oauth2`). */
  oauth2: string;
}

/** The sandbox's four listeners. */
// One listener per URL, except the OAuth 1.0a product of BAS, which the Cross-Border listener serves.
export type ListenerKey = Exclude<keyof SandboxUrls, 'benefitAllocationOAuth1'>;

/** Bound listeners, answering 503 until {@link SandboxListeners.serve} gives them handlers. */
export interface SandboxListeners {
  /** The final URLs, from the ports the listeners got. */
  readonly urls: SandboxUrls;
  /** The Benefit Allocation listener's project per mTLS connection. */
  readonly basProjectOf: BasServer['projectOf'];
  /**
   * The `certificateFingerprint` of the client certificate a connection presented: on Benefit
   * Allocation always, on Cross-Border and OAuth 2.0 with `crossBorderMtls`.
   */
  readonly clientCertificateOf: (socket: TLSSocket) => string | undefined;
  /** Gives every listener its request handler. */
  serve(handlers: Record<ListenerKey, RequestListener>): void;
  /** Stops every listener and drops open connections. */
  close(): Promise<void>;
}

/**
 * Creates the four servers (TLS set up, no handlers) and binds them on 127.0.0.1, all or none,
 * so that what is built next knows its real URLs and nothing is patched afterwards.
 *
 * @throws {McapiError} `ERR_SANDBOX` naming a port that cannot be bound (none stays bound).
 */
export async function bindSandboxListeners(
  keys: SandboxKeys,
  dashboard: DashboardLookups,
  ports: ResolvedSandboxOptions['ports'],
  crossBorderMtls = false,
): Promise<SandboxListeners> {
  // MTS EU/UK (`crossBorderMtls`): the Cross-Border and OAuth 2.0 listeners ask for a client
  // certificate from the dashboard too, on top of the per-request credentials.
  const presented: PresentedCertificates = new WeakMap();
  const clientCertificates = crossBorderMtls ? { dashboard, presented } : undefined;
  const bas = createBasServer(keys, dashboard, presented);
  const servers: Record<ListenerKey, Server> = {
    benefitAllocation: bas.server,
    crossBorder: createTlsServer(keys, clientCertificates),
    dashboard: createServer(),
    oauth2: createTlsServer(keys, clientCertificates),
  };
  const [basPort, crossBorderPort, dashboardPort, oauth2Port] = await listenAll(Object.values(servers), [
    ports.benefitAllocation,
    ports.crossBorder,
    ports.dashboard,
    0,
  ]);
  return {
    urls: {
      benefitAllocation: `https://127.0.0.1:${basPort}${BAS_BASE_PATH}`,
      crossBorder: `https://127.0.0.1:${crossBorderPort}`,
      benefitAllocationOAuth1: `https://127.0.0.1:${crossBorderPort}${BAS_BASE_PATH}`,
      dashboard: `http://127.0.0.1:${dashboardPort}${DASHBOARD_PREFIX}`,
      oauth2: `https://127.0.0.1:${oauth2Port}`,
    },
    basProjectOf: bas.projectOf,
    clientCertificateOf: (socket) => presented.get(socket),
    serve(handlers) {
      for (const [key, server] of Object.entries(servers)) serve(server, handlers[key as ListenerKey]);
    },
    close: async () => {
      await Promise.all(Object.values(servers).map(stop));
    },
  };
}
