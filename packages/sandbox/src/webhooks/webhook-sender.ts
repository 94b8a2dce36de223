import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { setTimeout as wait } from 'node:timers/promises';
import { McapiError } from '@mcapi/errors';
import { stringifyJsonLossless } from '@mcapi/jwe';
import type { ServiceNotification } from '../service-types.js';
import { type WebhookState, emptyWebhookState } from './webhook-state.js';
import { checkWebhookUrl } from './webhook-url.js';

// Cross-Border push notifications from the sandbox to a partner (api-facts §2.6.12): a POST over
// mTLS with a "Mastercard notification" client certificate, the body JWE-encrypted to the
// partner's response key when one is known ({"encrypted_payload":{"data":"<jwe>"}}), retried up
// to 3 times with backoff on anything but 200 (Mastercard "retries up to 3 times and expects HTTP
// 200"). Registration, delivery and its history live here; the dashboard only calls this API.

/** A partner's webhook, as registered on the dashboard. */
export interface WebhookRegistration {
  id: string;
  /** The dashboard project whose notifications go here. */
  project: string;
  /** `https://127.0.0.1:<port>/…/webhook` (loopback only, path ending in `/webhook`). */
  url: string;
  /** PEM CA certificate(s) the partner's TLS server certificate is verified against; default Node's CAs. */
  ca?: string;
  /**
   * `camelCase` (the v3 flavour, default) or `snake_case` (the flat "return reason version 2"
   * flavour Mastercard sends some partners; payment status only, others stay camelCase).
   */
  flavour: 'camelCase' | 'snake_case';
  createdAt: string;
}

/** One POST of a delivery. */
export interface WebhookAttempt {
  at: string;
  /** HTTP status answered, when the partner answered. */
  status?: number;
  /** Why the POST failed without an answer (connection refused, TLS, timeout). */
  error?: string;
}

/** One notification on its way to one webhook. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  project: string;
  eventRef: string;
  eventType: string | undefined;
  transactionType: string | undefined;
  encrypted: boolean;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
}

/** The client identity the sandbox presents, as Mastercard's notification service does. */
export interface NotificationIdentity {
  certificate: string;
  privateKey: string;
}

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  /** The client certificate and key to present (issued by the sandbox CA). Called once, lazily. */
  identity: () => Promise<NotificationIdentity>;
  /** JWE of the plaintext for the project's response key, or undefined when it has none. */
  encryptFor: (project: string, plaintext: string) => Promise<string | undefined>;
  now: () => number;
  /** Waits between attempts; inject one in tests (no wall clock). Default `timers/promises` setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first POST. Default 3. */
  retries?: number;
  /** Wait before retry n (1-based). Default 1 s, 2 s, 4 s. */
  backoffMs?: (retry: number) => number;
  /** Per-POST timeout. Default 10 s. */
  timeoutMs?: number;
  /** At most this many deliveries are kept in the history (oldest dropped). Default 200. */
  historySize?: number;
  /**
   * Where registrations live: the sender starts with the ones in it and keeps it up to date
   * (the sandbox passes its `--state` part). Default a fresh one, in memory.
   */
  state?: WebhookState;
  /** Called after every registration change, so the state can be saved. */
  onChange?: () => void;
}

/** Registers webhooks and delivers notifications to them. */
export interface WebhookSender {
  /**
   * Registers a webhook for a project.
   *
   * @throws {McapiError} `ERR_INVALID_OPTION` for a URL that is not `https` on a loopback host with a path ending in `/webhook`.
   */
  register(input: { project: string; url: string; ca?: string; flavour?: 'camelCase' | 'snake_case' }): WebhookRegistration;
  /** Removes a webhook; false when there was none with that id. */
  unregister(id: string): boolean;
  /** The webhooks (of one project, or all). */
  list(project?: string): WebhookRegistration[];
  /** Recent deliveries, oldest first (of one project, or all). */
  deliveries(project?: string): WebhookDelivery[];
  /**
   * Queues a notification for every webhook of its project; returns the deliveries started. Each
   * webhook gets its notifications one at a time, in the order they were queued.
   */
  notify(notification: ServiceNotification): WebhookDelivery[];
  /** Resolves once no delivery is in flight (tests and shutdown). */
  idle(): Promise<void>;
}

/**
 * Creates the sandbox's push-notification sender.
 *
 * @example
 * ```ts
 * const sender = createWebhookSender({ identity, encryptFor, now: Date.now });
 * sender.register({ project: 'default', url: 'https://127.0.0.1:8443/mastercard/webhook', ca });
 * sender.notify({ project: 'default', body: { eventRef: '…', transactionType: 'PAYMENT', … } });
 * await sender.idle();
 * ```
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const state = options.state ?? emptyWebhookState();
  const registrations = new Map<string, WebhookRegistration>(state.registrations.map((entry) => [entry.id, entry]));
  const changed = () => {
    state.registrations = [...registrations.values()];
    options.onChange?.();
  };
  const history: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<void>>();
  /** Per webhook id: the last delivery queued to it (settles, never rejects). */
  const queues = new Map<string, Promise<void>>();
  const sleep = options.sleep ?? ((ms: number) => wait(ms).then(() => undefined));
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? ((retry: number) => 1000 * 2 ** (retry - 1));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const historySize = options.historySize ?? 200;
  let identity: Promise<NotificationIdentity> | undefined;

  const stamp = () => new Date(options.now()).toISOString();

  // Issued once, starting at the first registration so the first push does not wait for a key
  // generation; a failed issue is retried by the next delivery rather than cached.
  const clientIdentity = (): Promise<NotificationIdentity> => {
    if (identity === undefined) {
      identity = options.identity();
      identity.catch(() => {
        identity = undefined;
      });
    }
    return identity;
  };

  async function post(registration: WebhookRegistration, body: string): Promise<WebhookAttempt> {
    const { certificate, privateKey } = await clientIdentity();
    const url = new URL(registration.url);
    return new Promise((resolve) => {
      const at = stamp();
      const request = httpsRequest(
        url,
        {
          method: 'POST',
          cert: certificate,
          key: privateKey,
          // The partner's server is verified (never disabled): against its registered CA, or Node's.
          ...(registration.ca === undefined ? {} : { ca: registration.ca }),
          agent: false,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ at, status: response.statusCode ?? 0 }));
          response.on('error', (error) => resolve({ at, error: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) => resolve({ at, error: error.message }));
      request.end(body);
    });
  }

  async function deliver(delivery: WebhookDelivery, registration: WebhookRegistration, body: string): Promise<void> {
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoff(attempt));
      const result = await post(registration, body);
      delivery.attempts.push(result);
      if (result.status === 200) {
        delivery.state = 'delivered';
        return;
      }
    }
    delivery.state = 'failed';
  }

  function remember(delivery: WebhookDelivery) {
    history.push(delivery);
    if (history.length > historySize) history.splice(0, history.length - historySize);
  }

  // Registrations kept from an earlier run: issue the identity now, as a registration does.
  if (registrations.size > 0) clientIdentity().catch(() => undefined);

  return {
    register(input) {
      const url = checkWebhookUrl(input.url);
      if (typeof input.project !== 'string' || input.project === '') throw new McapiError('ERR_INVALID_OPTION', 'project must be a non-empty string.');
      if (input.ca !== undefined && (typeof input.ca !== 'string' || !input.ca.includes('-----BEGIN CERTIFICATE-----'))) {
        throw new McapiError('ERR_INVALID_OPTION', 'ca must be PEM certificate text.');
      }
      if (input.flavour !== undefined && input.flavour !== 'camelCase' && input.flavour !== 'snake_case') {
        throw new McapiError('ERR_INVALID_OPTION', 'flavour must be "camelCase" or "snake_case".');
      }
      const registration: WebhookRegistration = {
        id: `whk_${randomUUID()}`,
        project: input.project,
        url,
        ...(input.ca === undefined ? {} : { ca: input.ca }),
        flavour: input.flavour ?? 'camelCase',
        createdAt: stamp(),
      };
      registrations.set(registration.id, registration);
      changed();
      clientIdentity().catch(() => undefined);
      return { ...registration };
    },
    unregister(id) {
      if (!registrations.delete(id)) return false;
      changed();
      return true;
    },
    list: (project) => [...registrations.values()].filter((entry) => project === undefined || entry.project === project).map((entry) => ({ ...entry })),
    deliveries: (project) => history.filter((entry) => project === undefined || entry.project === project).map((entry) => structuredClone(entry)),
    notify(notification) {
      const targets = [...registrations.values()].filter((entry) => entry.project === notification.project);
      const started: WebhookDelivery[] = [];
      if (targets.length === 0) return started;
      // One encryption per flavour, shared by the project's webhooks (one response key).
      const prepared = new Map<string, Promise<{ body: string; encrypted: boolean }>>();
      const prepare = (flavour: WebhookRegistration['flavour']) => {
        const source = flavour === 'snake_case' && notification.flat !== undefined ? notification.flat : notification.body;
        const key = source === notification.body ? 'camelCase' : 'snake_case';
        let ready = prepared.get(key);
        if (ready === undefined) {
          const plaintext = stringifyJsonLossless(source);
          ready = options.encryptFor(notification.project, plaintext).then((token) =>
            token === undefined ? { body: plaintext, encrypted: false } : { body: JSON.stringify({ encrypted_payload: { data: token } }), encrypted: true },
          );
          prepared.set(key, ready);
        }
        return ready;
      };
      const body = notification.body as Record<string, unknown>;
      for (const registration of targets) {
        const delivery: WebhookDelivery = {
          id: `dlv_${randomUUID()}`,
          webhookId: registration.id,
          project: notification.project,
          eventRef: String(body.eventRef ?? body.event_ref ?? ''),
          eventType: typeof body.eventType === 'string' ? body.eventType : typeof body.event_type === 'string' ? body.event_type : undefined,
          transactionType: typeof body.transactionType === 'string' ? body.transactionType : undefined,
          encrypted: false,
          state: 'pending',
          attempts: [],
        };
        remember(delivery);
        started.push(delivery);
        const ready = prepare(registration.flavour);
        // Handled below once the queue reaches it; marked now so an early failure is not "unhandled".
        ready.catch(() => undefined);
        // One webhook receives its notifications in the order they were raised (a payment's
        // SUCCESS before its RETURNED): each delivery starts once the one before it to the same
        // webhook is delivered or given up, retries included. Encryption runs ahead meanwhile.
        const task = (queues.get(registration.id) ?? Promise.resolve())
          .then(() => ready)
          .then((prepared) => {
            delivery.encrypted = prepared.encrypted;
            return deliver(delivery, registration, prepared.body);
          })
          .catch((error: unknown) => {
            delivery.state = 'failed';
            delivery.attempts.push({ at: stamp(), error: error instanceof Error ? error.message : 'delivery failed' });
          });
        queues.set(registration.id, task);
        const tracked = task.finally(() => {
          inFlight.delete(tracked);
          if (queues.get(registration.id) === task) queues.delete(registration.id);
        });
        inFlight.add(tracked);
      }
      return started.map((entry) => ({ ...entry }));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

