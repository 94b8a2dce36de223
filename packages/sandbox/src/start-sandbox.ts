import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import type { PublishRatesInput, RatePublication } from './cross-border/carded-rates.js';
import { type SandboxKeys, createSandboxKeys, renewRequestEncryption, restoreSandboxKeys, storeSandboxKeys } from './crypto/sandbox-keys.js';
import { type SandboxDashboard, createDashboard } from './dashboard/dashboard.js';
import type { FaultRule } from './gateway/faults.js';
import type { RequestLogEntry } from './gateway/request-log.js';
import type { SandboxOAuth2 } from './oauth2/sandbox-oauth2.js';
import type { WebhookSender } from './webhooks/webhook-sender.js';
import { type SandboxGateway, type SandboxInfo, createSandboxGateway } from './sandbox-gateway.js';
import { type SandboxListeners, type SandboxUrls, bindSandboxListeners } from './sandbox-listeners.js';
import { type SandboxOptions, resolveSandboxOptions } from './sandbox-options.js';
import { STATE_FILE, type StateStore, openStateStore } from './state/state-store.js';

/**
 * The dashboard functions plus fault control.
 *
 * @example
 * ```ts
 * sandbox.dashboard.setFaults([{ latencyMs: 200 }]);
 * sandbox.dashboard.clearFaults();
 * sandbox.dashboard.publishRates({ pairs: ['USD/GBP'] });
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
  /**
   * Publishes carded rates: sends a Carded Rate Push (`event_type: "CARDFX_PUB"`) to the
   * project's webhooks, as Mastercard does when a partner's rates change.
   *
   * @throws {McapiError} `ERR_INVALID_OPTION` for a project, partner id or currency pair that is not valid.
   */
  publishRates(input?: PublishRatesInput): RatePublication;
  /**
   * Renews Mastercard's request-encryption certificate, as Mastercard does before it expires: the
   * new one is handed out from now on (`requestEncryptionCertificate()`), and requests encrypted
   * to the previous one still decrypt until the sandbox restarts. Saved with `--state`.
   */
  renewRequestEncryptionCertificate(): Promise<{ certificate: string; fingerprint: string }>;
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
  urls: SandboxUrls;
  /** The CA certificate (PEM) to trust for the gateway; it also signs client certificates. */
  caCertificate: string;
  /** The certificate (PEM) clients encrypt requests to (now: it changes on `dashboard.renewRequestEncryptionCertificate()`). */
  readonly requestEncryptionCertificate: string;
  /** Its public-key fingerprint: the `kid` of request JWEs. */
  readonly requestEncryptionKeyFingerprint: string;
  dashboard: SandboxDashboardApi;
  /** OAuth 2.0: token and authorize endpoints, client registration, the DPoP-protected APIs (`oauth2.url`). */
  oauth2: SandboxOAuth2;
  /** Cross-Border push notifications: register a partner's webhook, read the deliveries. */
  webhooks: WebhookSender;
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
  // Bind first: everything built below knows the URL its listener really has.
  const listeners = await bindSandboxListeners(keys, dashboard, resolved.ports, resolved.crossBorderMtls);
  let gateway: SandboxGateway;
  const info: SandboxInfo = {
    urls: listeners.urls,
    caCertificate: dashboard.caCertificate(),
    // Read when asked: the certificate can be renewed while the sandbox runs.
    get requestEncryptionCertificate() {
      return dashboard.requestEncryptionCertificate().certificate;
    },
    get requestEncryptionKeyFingerprint() {
      return dashboard.requestEncryptionCertificate().fingerprint;
    },
  };
  try {
    gateway = createSandboxGateway({ resolved, store, keys, dashboard, listeners, info });
  } catch (error) {
    await listeners.close();
    throw error;
  }
  listeners.serve(gateway.handlers);
  return sandboxHandle({ info, keys, dashboard, gateway, listeners, store });
}

function sandboxHandle(parts: {
  info: SandboxInfo;
  keys: SandboxKeys;
  dashboard: SandboxDashboard;
  gateway: SandboxGateway;
  listeners: SandboxListeners;
  store: StateStore;
}): Sandbox {
  const { info, keys, dashboard, gateway, listeners, store } = parts;
  const { faults, log } = gateway;
  let closed: Promise<void> | undefined;
  return {
    urls: info.urls,
    caCertificate: info.caCertificate,
    get requestEncryptionCertificate() {
      return info.requestEncryptionCertificate;
    },
    get requestEncryptionKeyFingerprint() {
      return info.requestEncryptionKeyFingerprint;
    },
    dashboard: {
      ...dashboard,
      setFaults: (rules) => faults.set(rules),
      addFault: (rule) => faults.add(rule),
      clearFaults: () => faults.clear(),
      faults: () => faults.list(),
      resetData: gateway.resetData,
      publishRates: gateway.publishRates,
      async renewRequestEncryptionCertificate() {
        await renewRequestEncryption(keys);
        store.data.keys = storeSandboxKeys(keys);
        store.changed();
        return dashboard.requestEncryptionCertificate();
      },
    },
    oauth2: gateway.oauth2,
    webhooks: gateway.webhooks,
    log: () => log.entries(),
    close() {
      closed ??= listeners.close().then(() => store.flush());
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
