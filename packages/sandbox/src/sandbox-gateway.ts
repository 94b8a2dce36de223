import { BAS_BASE_PATH } from './bas/bas-routes.js';
import { basOAuth1Authenticator } from './gateway/bas-oauth1-authenticator.js';
import { createBasProfile } from './gateway/bas-profile.js';
import { clearBasState } from './bas/bas-state.js';
import { type PublishRatesInput, type RatePublication, createRatePublisher } from './cross-border/carded-rates.js';
import { clearCrossBorderState } from './cross-border/cross-border-state.js';
import { ratesDashboardRoutes } from './cross-border/rates-dashboard.js';
import { createJweCodec } from './crypto/jwe-codec.js';
import type { SandboxKeys } from './crypto/sandbox-keys.js';
import type { SandboxDashboard, DashboardLookups } from './dashboard/dashboard.js';
import { createDashboardListener } from './dashboard/dashboard-http.js';
import { createCrossBorderAuthenticator } from './gateway/cross-border-authenticator.js';
import { createCrossBorderProfile } from './gateway/cross-border-profile.js';
import { type FaultInjector, createFaultInjector } from './gateway/faults.js';
import type { GatewayContext } from './gateway/handle-gateway-request.js';
import { type RequestLog, createRequestLog } from './gateway/request-log.js';
import { gatewayRequestListener } from './gateway/request-listener.js';
import { createRequestTokenVerifier } from './gateway/request-token.js';
import type { RequestListener } from './http/listen.js';
import { oauth2DashboardRoutes } from './oauth2/oauth2-dashboard.js';
import { type SandboxOAuth2, createSandboxOAuth2 } from './oauth2/sandbox-oauth2.js';
import type { ListenerKey, SandboxListeners, SandboxUrls } from './sandbox-listeners.js';
import type { ResolvedSandboxOptions } from './sandbox-options.js';
import type { StateStore } from './state/state-store.js';
import { createSandboxWebhooks } from './webhooks/sandbox-webhooks.js';
import { webhookDashboardRoutes } from './webhooks/webhook-dashboard.js';
import { webhookWebSource } from './webhooks/webhook-web-source.js';
import type { WebhookSender } from './webhooks/webhook-sender.js';

/** What the sandbox says about itself (`GET /_dashboard/` and the `Sandbox` object). */
export interface SandboxInfo {
  urls: SandboxUrls;
  caCertificate: string;
  requestEncryptionCertificate: string;
  requestEncryptionKeyFingerprint: string;
}

/** Inputs of {@link createSandboxGateway}: the started state and the bound listeners. */
export interface SandboxGatewayOptions {
  resolved: ResolvedSandboxOptions;
  store: StateStore;
  keys: SandboxKeys;
  dashboard: SandboxDashboard & DashboardLookups;
  listeners: SandboxListeners;
  info: SandboxInfo;
}

/** The request handlers of the four listeners and the controls they share. */
export interface SandboxGateway {
  handlers: Record<ListenerKey, RequestListener>;
  oauth2: SandboxOAuth2;
  /** Cross-Border push notifications to the partners' registered webhooks. */
  webhooks: WebhookSender;
  /** Sends a Carded Rate Push to a project's webhooks. */
  publishRates: (input?: PublishRatesInput) => RatePublication;
  faults: FaultInjector;
  log: RequestLog;
  /** Forgets all service data (cards, quotes, payments); keys and registrations stay. */
  resetData(): void;
}

/**
 * Builds what answers requests, once the listeners are bound: one gateway context (keys,
 * dashboard lookups, faults, log) for every listener, and one Cross-Border authenticator shared
 * by the two listeners that serve Cross-Border.
 */
export function createSandboxGateway({ resolved, store, keys, dashboard, listeners, info }: SandboxGatewayOptions): SandboxGateway {
  const faults = createFaultInjector(resolved.faults);
  const log = createRequestLog();
  const codec = createJweCodec();
  const webhooks = createSandboxWebhooks({
    keys,
    dashboard,
    codec,
    now: resolved.now,
    state: store.data.webhooks,
    onChange: store.changed,
    ...(resolved.webhookSleep === undefined ? {} : { sleep: resolved.webhookSleep }),
  });
  const context: GatewayContext = {
    keys,
    dashboard,
    codec,
    faults,
    log,
    now: resolved.now,
    stateChanged: store.changed,
    notify: (notification) => void webhooks.notify(notification),
    clientCertificateOf: listeners.clientCertificateOf,
  };
  const publishRates = createRatePublisher({ now: resolved.now, notify: webhooks.notify });
  const crossBorderAuthenticator = sharedCrossBorderAuthenticator(resolved, dashboard);
  const oauth2 = createSandboxOAuth2({ context, state: store.data, options: resolved, crossBorderAuthenticator, origin: info.urls.oauth2 });
  const resetData = () => {
    clearBasState(store.data.benefitAllocation);
    clearCrossBorderState(store.data.crossBorder);
    store.changed();
  };
  const basProfile = createBasProfile({
    state: store.data.benefitAllocation,
    projectOf: listeners.basProjectOf,
    certificateOf: listeners.clientCertificateOf,
    encryptedFieldName: resolved.encryption.benefitAllocationFieldName,
    requireEncryption: resolved.encryption.requireBenefitAllocation,
  });
  const crossBorderProfile = createCrossBorderProfile({
    state: store.data.crossBorder,
    requireEncryption: resolved.encryption.requireCrossBorder,
    authenticate: crossBorderAuthenticator,
  });
  // Benefit Allocation's OAuth 1.0a product, on the API host like Mastercard's: same data and
  // bodies as the mTLS listener, authenticated by the signature over the encrypted bytes.
  const basOAuth1Profile = createBasProfile({
    state: store.data.benefitAllocation,
    projectOf: () => undefined,
    authenticate: basOAuth1Authenticator(crossBorderAuthenticator),
    encryptedFieldName: resolved.encryption.benefitAllocationFieldName,
    requireEncryption: resolved.encryption.requireBenefitAllocation,
  });
  return {
    handlers: {
      benefitAllocation: gatewayRequestListener(context, basProfile),
      crossBorder: gatewayRequestListener(context, crossBorderProfile, [{ prefix: BAS_BASE_PATH, profile: basOAuth1Profile }]),
      dashboard: createDashboardListener({
        dashboard,
        faults,
        log,
        resetData,
        info: () => info,
        routes: [...oauth2DashboardRoutes(oauth2.api), ...webhookDashboardRoutes(webhooks), ...ratesDashboardRoutes(publishRates)],
        web: { dashboard, faults, log, urls: () => info.urls, now: resolved.now, webhooks: webhookWebSource(webhooks) },
      }),
      oauth2: oauth2.listener,
    },
    oauth2: oauth2.api,
    webhooks,
    publishRates,
    faults,
    log,
    resetData,
  };
}

// One authenticator (one nonce store, one request-token jti memory) for both listeners that
// serve Cross-Border: a credential accepted on one cannot be replayed on the other.
function sharedCrossBorderAuthenticator(resolved: ResolvedSandboxOptions, dashboard: DashboardLookups) {
  return createCrossBorderAuthenticator({
    dashboard,
    now: resolved.now,
    maxSkewSeconds: resolved.maxSkewSeconds,
    nonceStore: resolved.replayStore,
    ...(resolved.requestTokenEnabled && {
      requestTokens: createRequestTokenVerifier(dashboard, resolved.maxSkewSeconds, resolved.now, resolved.replayStore),
    }),
  });
}
