import { generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import type { JweCodec } from '../crypto/jwe-codec.js';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import { type WebhookSender, createWebhookSender } from './webhook-sender.js';
import type { WebhookState } from './webhook-state.js';

/**
 * The subject CN of the client certificate the sandbox presents with its notifications: the name
 * Mastercard's MTF notification service uses (api-facts §2.6.12), so a partner's
 * `createWebhookHandler({ verifyPeer: true })` accepts it with the sandbox CA as `ca`.
 */
export const NOTIFICATION_COMMON_NAME = 'CrossborderServicesNotification-mtf.mastercard.com';

/** What the sandbox's webhook sender needs from the rest of the sandbox. */
export interface SandboxWebhooksOptions {
  keys: SandboxKeys;
  dashboard: DashboardLookups;
  codec: JweCodec;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The registrations kept with the rest of the sandbox state (`--state`). */
  state: WebhookState;
  /** Schedules a save of the sandbox state. */
  onChange: () => void;
}

/**
 * The webhook sender wired to the sandbox: its CA issues the notification certificate (on the
 * first delivery, so a sandbox that sends none pays nothing), and bodies are encrypted to the
 * project's active response key, as Mastercard encrypts notifications to the partner.
 *
 * @example
 * ```ts
 * const webhooks = createSandboxWebhooks({ keys, dashboard, codec, now: Date.now, state: store.data.webhooks, onChange: store.changed });
 * ```
 */
export function createSandboxWebhooks(options: SandboxWebhooksOptions): WebhookSender {
  const { keys, dashboard, codec } = options;
  return createWebhookSender({
    now: options.now,
    state: options.state,
    onChange: options.onChange,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    async identity() {
      const pair = await generateRsaKeyPair(2048);
      const certificate = issueCertificate({
        issuer: keys.ca,
        publicKey: pair.publicKey,
        subject: { CN: NOTIFICATION_COMMON_NAME, O: 'mcapi sandbox' },
        usage: 'client',
        validityDays: 30,
      });
      return { certificate: certificate.toString(), privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    },
    async encryptFor(project, plaintext) {
      const key = dashboard.responseKey(project);
      return key === undefined ? undefined : codec.encrypt(plaintext, key.certificate, key.kid);
    },
  });
}
