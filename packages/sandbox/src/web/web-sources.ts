import type { FaultInjector } from '../gateway/faults.js';
import type { RequestLog } from '../gateway/request-log.js';
import type { SandboxDashboard } from '../dashboard/dashboard.js';

/** One attempt to deliver a webhook (push notification) to the registered URL. */
export interface WebhookAttemptView {
  time: string;
  /** HTTP status answered, when the receiver answered. */
  status?: number;
  durationMs?: number;
  /** Why the attempt failed (connection refused, timeout …), redacted. */
  error?: string;
}

/** One webhook delivery with its attempts, as the Webhooks page shows it. */
export interface WebhookDeliveryView {
  id: string;
  event: string;
  url: string;
  state: 'delivered' | 'failed' | 'pending';
  attempts: WebhookAttemptView[];
}

/**
 * Where the Webhooks page reads from: the module that registers webhook URLs and sends the
 * pushes plugs in here. Without one, the page says no webhooks are sent.
 */
export interface WebhookSource {
  /** The registered webhook URLs. */
  endpoints(): string[];
  /** Deliveries, oldest first. */
  deliveries(): WebhookDeliveryView[];
}

/** What the web dashboard pages show. */
export interface DashboardWebSources {
  dashboard: SandboxDashboard;
  faults: FaultInjector;
  log: RequestLog;
  /** The sandbox's listener URLs. */
  urls: () => object;
  webhooks?: WebhookSource;
  /** Clock (ms), for the key-expiry warning. */
  now: () => number;
}
