// Public API of @mcapi/sandbox.
export { startSandbox, type Sandbox, type SandboxDashboardApi } from './start-sandbox.js';
export type { SandboxOptions } from './sandbox-options.js';
export {
  DEFAULT_PROJECT,
  type IssuedKey,
  type RegisterSigningKeyOptions,
  type SandboxDashboard,
  type SignCsrOptions,
} from './dashboard/dashboard.js';
export type { DashboardKeyPurpose } from './dashboard/dashboard-state.js';
export type { FaultRule, ListenerName } from './gateway/faults.js';
export type { RequestLogEntry } from './gateway/request-log.js';
export type { SandboxOAuth2 } from './oauth2/sandbox-oauth2.js';
export type { RegisterOAuth2ClientOptions, RegisteredOAuth2Client } from './oauth2/oauth2-clients.js';
export type { SandboxLoginRequest, SandboxLoginResult } from './oauth2/authorize-endpoint.js';
export type { OAuth2TokenLogEntry } from './oauth2/oauth2-server-context.js';
export {
  type NotificationIdentity,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookRegistration,
  type WebhookSender,
  type WebhookSenderOptions,
  createWebhookSender,
} from './webhooks/webhook-sender.js';
export { NOTIFICATION_COMMON_NAME } from './webhooks/sandbox-webhooks.js';
export type { ServiceNotification } from './service-types.js';
export type { WebhookState } from './webhooks/webhook-state.js';
export { type CardedRate, DEFAULT_RATES_PARTNER_ID, type PublishRatesInput, type RatePublication } from './cross-border/carded-rates.js';
