import type { WebhookSource } from '../web/web-sources.js';
import type { WebhookSender } from './webhook-sender.js';

/**
 * What the web dashboard's Webhooks page reads from the push-notification sender: the registered
 * URLs and every delivery with its attempts (what was sent is not shown: it may hold account data).
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, web: { ...sources, webhooks: webhookWebSource(sender) } });
 * ```
 */
export function webhookWebSource(sender: WebhookSender): WebhookSource {
  return {
    endpoints: () => sender.list().map((registration) => registration.url),
    deliveries: () => {
      const urls = new Map(sender.list().map((registration) => [registration.id, registration.url]));
      return sender.deliveries().map((delivery) => ({
        id: delivery.id,
        event: [delivery.transactionType, delivery.eventType].filter((part) => part !== undefined).join(' ') || 'notification',
        url: urls.get(delivery.webhookId) ?? '(webhook removed)',
        state: delivery.state,
        attempts: delivery.attempts.map((attempt) => ({
          time: attempt.at,
          ...(attempt.status === undefined ? {} : { status: attempt.status }),
          ...(attempt.error === undefined ? {} : { error: attempt.error }),
        })),
      }));
    },
  };
}
