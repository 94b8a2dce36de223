import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { createJweCodec } from './crypto/jwe-codec.js';
import { type SandboxKeys, createSandboxKeys, restoreSandboxKeys, storeSandboxKeys } from './crypto/sandbox-keys.js';
import { type SandboxDashboard, createDashboard } from './dashboard/dashboard.js';
import { DASHBOARD_PREFIX, createDashboardListener } from './dashboard/dashboard-http.js';
import { createBasListener } from './gateway/bas-listener.js';
import { createBasProfile } from './gateway/bas-profile.js';
import { createCrossBorderAuthenticator } from './gateway/cross-border-authenticator.js';
import { createCrossBorderListener } from './gateway/cross-border-listener.js';
import { createCrossBorderProfile } from './gateway/cross-border-profile.js';
import { createRequestTokenVerifier } from './gateway/request-token.js';
import { type FaultRule, createFaultInjector } from './gateway/faults.js';
import type { GatewayContext } from './gateway/handle-gateway-request.js';
import { type RequestLogEntry, createRequestLog } from './gateway/request-log.js';
import { type SandboxOptions, resolveSandboxOptions } from './sandbox-options.js';
import { BAS_BASE_PATH } from './bas/bas-routes.js';
import { clearBasState } from './bas/bas-state.js';
import { clearCrossBorderState } from './cross-border/cross-border-state.js';
import { STATE_FILE, type StateStore, openStateStore } from './state/state-store.js';
import { oauth2DashboardRoutes } from './oauth2/oauth2-dashboard.js';
import { type SandboxOAuth2, createSandboxOAuth2 } from './oauth2/sandbox-oauth2.js';

/**
 * The dashboard functions plus fault control.
 *
 * @example
 * ```ts
 * sandbox.dashboard.setFaults([{ latencyMs: 200 }]);
 * sandbox.dashboard.clearFaults();
 * ```
 */
export interface SandboxDashboardApi extends SandboxDashboard {
  /** Replaces every fault rule. */
  setFaults(rules: FaultRule[]): void;
  /** Adds one fault rule after the others. */
  addFault(rule: FaultRule): void;
  /** Removes every fault rule. */
  clearFaults(): void;
  /** The fault rules in force (with remaining `times`). */
  faults(): FaultRule[];
  /** Forgets all service data (cards, quotes, payments); keys and registrations stay. */
  resetData(): void;
}

/**
 * A running sandbox.
 *
 * @example
 * ```ts
 * const sandbox: Sandbox = await startSandbox();
 * console.log(sandbox.urls.benefitAllocation, sandbox.requestEncryptionKeyFingerprint);
 * ```
 */
export interface Sandbox {
  urls: {
    /** mTLS HTTPS, base path included: `https://127.0.0.1:<port>/loyalty/benefits`. */
    benefitAllocation: string;
    /** OAuth 1.0a HTTPS origin (paths as on sandbox.api.mastercard.com). */
    crossBorder: string;
    /** Plain HTTP dashboard API root: `http://127.0.0.1:<port>/_dashboard`. */
    dashboard: string;
    /** OAuth 2.0 HTTPS origin: token/authorize endpoints and the DPoP-protected APIs (see `oauth2`). */
    oauth2: string;
  };
  /** The CA certificate (PEM) to trust for the gateway; it also signs client certificates. */
  caCertificate: string;
  /** The certificate (PEM) clients encrypt requests to. */
  requestEncryptionCertificate: string;
  /** Its public-key fingerprint: the `kid` of request JWEs. */
  requestEncryptionKeyFingerprint: string;
  dashboard: SandboxDashboardApi;
  /** OAuth 2.0: token and authorize endpoints, client registration, the DPoP-protected APIs (`oauth2.url`). */
  oauth2: SandboxOAuth2;
  /** The request log (oldest first, at most 1000 entries). */
  log(): RequestLogEntry[];
  /** Stops every listener, drops open connections and saves the state. */
  close(): Promise<void>;
}

/**
 * Starts a local Mastercard-like gateway and dashboard on 127.0.0.1: a Benefit Allocation
 * listener (mTLS + JWE), a Cross-Border listener (OAuth 1.0a + JWE) and the dashboard API.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is invalid.
 * @throws {McapiError} `ERR_SANDBOX` when a listener cannot bind its port, or the saved state cannot be read (the message names the file and the way out).
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox();
 * const { certificate } = sandbox.dashboard.signCsr({ csr, purpose: 'mtls' });
 * const agent = new Agent({ connect: { ca: sandbox.caCertificate, cert: certificate, key } });
 * // … call `${sandbox.urls.benefitAllocation}/card-segments` …
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveSandboxOptions(options);
  const store = await openStateStore(resolved.state);
  const keys = await loadOrCreateKeys(store, resolved.state);

  const dashboard = createDashboard({ keys, state: store.data.dashboard, onChange: store.changed, now: resolved.now });
  const faults = createFaultInjector(resolved.faults);
  const log = createRequestLog();
  const context: GatewayContext = {
    keys,
    dashboard,
    codec: createJweCodec(),
    faults,
    log,
    now: resolved.now,
    stateChanged: store.changed,
  };

  const bas = createBasListener(
    context,
    (projectOf) =>
      createBasProfile({
        state: store.data.benefitAllocation,
        projectOf,
        encryptedFieldName: resolved.encryption.benefitAllocationFieldName,
        requireEncryption: resolved.encryption.requireBenefitAllocation,
      }),
    keys,
    dashboard,
  );
  // One authenticator (one nonce store, one request-token jti memory) for both listeners that
  // serve Cross-Border: a credential accepted on one cannot be replayed on the other.
  const crossBorderAuthenticator = createCrossBorderAuthenticator({
    dashboard,
    now: resolved.now,
    maxSkewSeconds: resolved.maxSkewSeconds,
    nonceStore: resolved.replayStore,
    ...(resolved.requestTokenEnabled && {
      requestTokens: createRequestTokenVerifier(dashboard, resolved.maxSkewSeconds, resolved.now, resolved.replayStore),
    }),
  });
  const crossBorder = createCrossBorderListener(
    context,
    createCrossBorderProfile({
      state: store.data.crossBorder,
      requireEncryption: resolved.encryption.requireCrossBorder,
      authenticate: crossBorderAuthenticator,
    }),
    keys,
  );
  const urls = { benefitAllocation: '', crossBorder: '', dashboard: '', oauth2: '' };
  const requestEncryptionKeyFingerprint = dashboard.requestEncryptionCertificate().fingerprint;
  const resetData = () => {
    clearBasState(store.data.benefitAllocation);
    clearCrossBorderState(store.data.crossBorder);
    store.changed();
  };

  const oauth2 = createSandboxOAuth2({ context, state: store.data, options: resolved, crossBorderAuthenticator });
  const dashboardServer = createDashboardListener({
    dashboard,
    faults,
    log,
    resetData,
    info: () => ({
      urls,
      caCertificate: dashboard.caCertificate(),
      requestEncryptionCertificate: keys.requestEncryption.certificate.toString(),
      requestEncryptionKeyFingerprint,
    }),
    routes: oauth2DashboardRoutes(oauth2.api),
  });

  const servers = [bas, crossBorder, dashboardServer, oauth2.server];
  const [basPort, crossBorderPort, dashboardPort, oauth2Port] = await listenAll(servers, [
    resolved.ports.benefitAllocation,
    resolved.ports.crossBorder,
    resolved.ports.dashboard,
    0,
  ]);
  oauth2.setPort(oauth2Port!);
  urls.benefitAllocation = `https://127.0.0.1:${basPort}${BAS_BASE_PATH}`;
  urls.crossBorder = `https://127.0.0.1:${crossBorderPort}`;
  urls.dashboard = `http://127.0.0.1:${dashboardPort}${DASHBOARD_PREFIX}`;
  urls.oauth2 = oauth2.api.url;

  let closed: Promise<void> | undefined;
  return {
    urls,
    caCertificate: dashboard.caCertificate(),
    requestEncryptionCertificate: keys.requestEncryption.certificate.toString(),
    requestEncryptionKeyFingerprint,
    dashboard: {
      ...dashboard,
      setFaults: (rules) => faults.set(rules),
      addFault: (rule) => faults.add(rule),
      clearFaults: () => faults.clear(),
      faults: () => faults.list(),
      resetData,
    },
    oauth2: oauth2.api,
    log: () => log.entries(),
    close() {
      closed ??= Promise.all(servers.map(stop)).then(() => store.flush());
      return closed;
    },
  };
}

/** The saved keys (a damaged file fails the start, naming it), or three new ones saved at once. */
async function loadOrCreateKeys(store: StateStore, state: string | undefined): Promise<SandboxKeys> {
  if (store.data.keys) {
    try {
      return restoreSandboxKeys(store.data.keys);
    } catch (cause) {
      // Like the other state-file problems: name the file and the way out; the key error is the cause.
      const file = join(state ?? '', STATE_FILE);
      throw new McapiError('ERR_SANDBOX', `The keys saved in ${file} cannot be read (${(cause as Error).message}); move it away to start fresh.`, { cause });
    }
  }
  const keys = await createSandboxKeys();
  store.data.keys = storeSandboxKeys(keys);
  store.changed();
  // A state directory that cannot be written must fail the start, not the first request.
  await store.flush();
  return keys;
}

/** Binds every server (in order) or none: a port that is taken closes the ones already bound. */
async function listenAll(servers: Server[], ports: number[]): Promise<number[]> {
  const bound: Server[] = [];
  const chosen: number[] = [];
  try {
    for (const [index, server] of servers.entries()) {
      chosen.push(await listen(server, ports[index]!));
      bound.push(server);
    }
  } catch (error) {
    await Promise.all(bound.map(stop));
    throw error;
  }
  return chosen;
}

// 127.0.0.1 only: the sandbox holds test keys and must never be reachable from the network.
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
