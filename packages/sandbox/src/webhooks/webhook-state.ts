import type { WebhookRegistration } from './webhook-sender.js';
import { checkWebhookUrl } from './webhook-url.js';

/** The webhooks part of the sandbox state: what `--state` keeps so pushes survive a restart. */
export interface WebhookState {
  /** Registered webhooks, oldest first. Deliveries are history and stay in memory. */
  registrations: WebhookRegistration[];
}

/**
 * A fresh webhook state; also what a state file written before registrations were kept loads as.
 *
 * @example
 * ```ts
 * const state = { ...otherParts, webhooks: emptyWebhookState() };
 * ```
 */
export function emptyWebhookState(): WebhookState {
  return { registrations: [] };
}

/**
 * Reads the `webhooks` member of a saved state: absent → empty (files from before it existed);
 * undefined for anything else that is not a list of registrations (a URL the sandbox would refuse
 * to register included: an edited file cannot send pushes off the machine), so the loader can name the file.
 */
export function readWebhookState(value: unknown): WebhookState | undefined {
  if (value === undefined) return emptyWebhookState();
  const registrations = (value as { registrations?: unknown } | null)?.registrations;
  if (!Array.isArray(registrations) || !registrations.every(isRegistration)) return undefined;
  return { registrations };
}

function isRegistration(value: unknown): value is WebhookRegistration {
  const entry = value as Partial<WebhookRegistration> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.project === 'string' &&
    typeof entry.url === 'string' &&
    isAllowedUrl(entry.url) &&
    (entry.ca === undefined || typeof entry.ca === 'string') &&
    (entry.flavour === 'camelCase' || entry.flavour === 'snake_case') &&
    typeof entry.createdAt === 'string'
  );
}

function isAllowedUrl(url: string): boolean {
  try {
    return checkWebhookUrl(url) === url;
  } catch {
    return false;
  }
}
