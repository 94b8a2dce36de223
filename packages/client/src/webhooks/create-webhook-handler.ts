import type { IncomingMessage, ServerResponse } from 'node:http';
import { McapiError } from '@mcapi/errors';
import { type DecryptionKeys, decrypt, type LosslessJson, parseJsonLossless } from '@mcapi/jwe';
import { createMemoryEventRefStore, type EventRefStore } from './event-ref-store.js';
import { mastercardNotificationNames, peerIsAllowed } from './peer-names.js';
import { type JsonObject, toWebhookEvent, UnrecognisedNotification, type WebhookEvent } from './webhook-event.js';

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /**
   * Receives each notification once. The handler answers 200 only after this resolves: if it
   * throws (or the process dies first), Mastercard gets a 500 and retries, so nothing is lost.
   */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  /**
   * Our response-decryption keys, for encrypted notifications (RFI pushes always are). A function
   * is called per notification, so a keyring reload after a rotation is picked up:
   * `() => keyring.decryptionKeys('production')`.
   */
  decryptionKeys?: DecryptionKeys | (() => DecryptionKeys);
  /** Refuse (400) notifications that arrive in plaintext. Default false. */
  requireEncryption?: boolean;
  /** Delivered `eventRef`s. Default: a bounded in-memory store (use a shared one across replicas). */
  eventRefStore?: EventRefStore;
  /** How long a delivered `eventRef` is remembered. Default 7 days. */
  eventRefTtlMs?: number;
  /**
   * Check the mTLS client certificate's subject CN: `true` for Mastercard's notification names
   * ({@link mastercardNotificationNames}), or a list. Needs an `https` server with `requestCert`
   * and Mastercard's CA in `ca`. Default false.
   */
  verifyPeer?: boolean | readonly string[];
  /** Largest body accepted. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Told about every refused or failed notification; the error never holds the plaintext. */
  onError?: (error: McapiError) => void;
}

/** What the handler answers. */
export interface WebhookReply {
  status: 200 | 400 | 403 | 405 | 413 | 500;
  headers?: Record<string, string>;
}

/** A `node:http` request handler (Express/Connect middleware too) with a framework-neutral core. */
export interface WebhookHandler {
  (request: IncomingMessage & { body?: unknown }, response: ServerResponse): Promise<void>;
  /** The core, for frameworks that hand over the raw body themselves (see the README for Fastify). */
  receive(input: { body: Uint8Array | string; request?: IncomingMessage }): Promise<WebhookReply>;
}

const defaultMaxBodyBytes = 4 * 1024 * 1024;
const defaultTtlMs = 7 * 24 * 60 * 60 * 1000;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Receives Cross-Border push notifications (Status Change, Carded Rate, RFI, Account
 * Validation): reads the body, checks the caller when asked, decrypts a JWE body with our keys,
 * normalises both JSON flavours into one {@link WebhookEvent}, drops Mastercard's retries of a
 * notification already delivered, and answers 200 only after `onEvent` resolved.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is missing or invalid, at construction. The returned handler never throws: it answers 4xx/500 and passes `ERR_WEBHOOK_REJECTED` / `ERR_WEBHOOK_DELIVERY` to `onError`.
 *
 * @example
 * ```ts
 * const handler = createWebhookHandler({
 *   decryptionKeys: () => keyring.decryptionKeys('production'),
 *   onEvent: async (event) => { if (event.type === 'payment.status') await markPayment(event); },
 * });
 * https.createServer({ cert, key, ca: mastercardCa, requestCert: true }, (req, res) => {
 *   if (req.url === '/mastercard/webhook') return void handler(req, res);
 *   res.writeHead(404).end();
 * }).listen(8443);
 * ```
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const settings = resolveOptions(options);
  // One delivery in flight per eventRef: a retry that arrives meanwhile waits for its outcome.
  const inFlight = new Map<string, Promise<WebhookReply>>();

  const refuse = (status: WebhookReply['status'], message: string): WebhookReply => {
    settings.onError?.(new McapiError(status === 500 ? 'ERR_WEBHOOK_DELIVERY' : 'ERR_WEBHOOK_REJECTED', message));
    return { status };
  };

  async function receive({ body, request }: { body: Uint8Array | string; request?: IncomingMessage }): Promise<WebhookReply> {
    if (settings.peerNames !== undefined && (request === undefined || !peerIsAllowed(request, settings.peerNames))) {
      return refuse(403, 'A notification came without an allowed Mastercard client certificate; refused.');
    }
    const bytes = typeof body === 'string' ? body.length : body.byteLength;
    if (bytes > settings.maxBodyBytes) return refuse(413, `A notification of ${bytes} bytes is larger than maxBodyBytes (${settings.maxBodyBytes}).`);
    let event: WebhookEvent;
    try {
      event = await readEvent(typeof body === 'string' ? body : decodeUtf8(body));
    } catch (error) {
      return refuse(400, `A notification could not be read: ${describe(error)}.`);
    }
    if (await settings.store.has(event.eventRef)) return { status: 200 };
    const pending = inFlight.get(event.eventRef);
    if (pending !== undefined) return pending;
    const delivery = deliver(event).finally(() => inFlight.delete(event.eventRef));
    inFlight.set(event.eventRef, delivery);
    return delivery;
  }

  async function readEvent(text: string): Promise<WebhookEvent> {
    const outer = asObject(parseJsonLossless(text));
    const token = encryptedToken(outer);
    if (token === undefined) {
      if (settings.requireEncryption) throw new UnrecognisedNotification('it arrived in plaintext and requireEncryption is set');
      return toWebhookEvent(outer, false);
    }
    if (settings.decryptionKeys === undefined) throw new UnrecognisedNotification('it is encrypted and no decryptionKeys are configured');
    const keys = typeof settings.decryptionKeys === 'function' ? settings.decryptionKeys() : settings.decryptionKeys;
    const { plaintext } = await decrypt(token, { keys });
    return toWebhookEvent(asObject(parseJsonLossless(decoder.decode(plaintext))), true);
  }

  async function deliver(event: WebhookEvent): Promise<WebhookReply> {
    try {
      await settings.onEvent(event);
    } catch (error) {
      // Only the error's kind reaches onError: its message may quote the notification.
      return refuse(500, `onEvent failed for ${event.type} notification ${event.eventRef} (${error instanceof Error ? error.name : typeof error}); Mastercard will retry it.`);
    }
    try {
      await settings.store.add(event.eventRef, settings.ttlMs);
    } catch (error) {
      // Delivered but not recorded: a retry may deliver it again, which beats losing it.
      settings.onError?.(new McapiError('ERR_WEBHOOK_DELIVERY', `Recording eventRef ${event.eventRef} failed (${describe(error)}); a retry may be delivered again.`));
    }
    return { status: 200 };
  }

  const handler = (async (request, response) => {
    let reply: WebhookReply;
    try {
      if (request.method !== 'POST') {
        reply = { status: 405, headers: { allow: 'POST' } };
      } else {
        const body = await readRequestBody(request, settings.maxBodyBytes);
        reply = body === undefined ? refuse(413, `A notification is larger than maxBodyBytes (${settings.maxBodyBytes}).`) : await receive({ body, request });
      }
    } catch (error) {
      reply = refuse(500, `The webhook handler failed before delivery: ${describe(error)}.`);
    }
    if (!response.headersSent) response.writeHead(reply.status, { 'content-length': '0', ...reply.headers }).end();
  }) as WebhookHandler;
  handler.receive = receive;
  return handler;
}

interface ResolvedWebhookOptions {
  onEvent: WebhookHandlerOptions['onEvent'];
  decryptionKeys: WebhookHandlerOptions['decryptionKeys'];
  requireEncryption: boolean;
  store: EventRefStore;
  ttlMs: number;
  peerNames: readonly string[] | undefined;
  maxBodyBytes: number;
  onError: ((error: McapiError) => void) | undefined;
}

function resolveOptions(options: WebhookHandlerOptions): ResolvedWebhookOptions {
  if (typeof options !== 'object' || options === null || typeof options.onEvent !== 'function') {
    throw new McapiError('ERR_INVALID_OPTION', 'createWebhookHandler needs { onEvent: async (event) => … }.');
  }
  const known = new Set(['onEvent', 'decryptionKeys', 'requireEncryption', 'eventRefStore', 'eventRefTtlMs', 'verifyPeer', 'maxBodyBytes', 'onError']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new McapiError('ERR_INVALID_OPTION', `Unknown option ${key}. Known options: ${[...known].join(', ')}.`);
  }
  const store = options.eventRefStore ?? createMemoryEventRefStore();
  if (typeof store.has !== 'function' || typeof store.add !== 'function') {
    throw new McapiError('ERR_INVALID_OPTION', 'eventRefStore must have has(eventRef) and add(eventRef, ttlMs).');
  }
  const verifyPeer = options.verifyPeer ?? false;
  if (typeof verifyPeer !== 'boolean' && !(Array.isArray(verifyPeer) && verifyPeer.length > 0 && verifyPeer.every((name) => typeof name === 'string'))) {
    throw new McapiError('ERR_INVALID_OPTION', 'verifyPeer must be true, false or a non-empty list of certificate CNs.');
  }
  if (options.requireEncryption !== undefined && typeof options.requireEncryption !== 'boolean') {
    throw new McapiError('ERR_INVALID_OPTION', 'requireEncryption must be true or false.');
  }
  if (options.requireEncryption === true && options.decryptionKeys === undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'requireEncryption needs decryptionKeys to read the notifications with.');
  }
  for (const name of ['onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new McapiError('ERR_INVALID_OPTION', `${name} must be a function.`);
  }
  return {
    onEvent: options.onEvent,
    decryptionKeys: options.decryptionKeys,
    requireEncryption: options.requireEncryption ?? false,
    store,
    ttlMs: positiveInteger(options.eventRefTtlMs, 'eventRefTtlMs', defaultTtlMs),
    peerNames: verifyPeer === true ? mastercardNotificationNames : verifyPeer === false ? undefined : verifyPeer,
    maxBodyBytes: positiveInteger(options.maxBodyBytes, 'maxBodyBytes', defaultMaxBodyBytes),
    onError: options.onError,
  };
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new McapiError('ERR_INVALID_OPTION', `${name} must be a positive integer (got ${String(value)}).`);
  return value;
}

function asObject(value: LosslessJson): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value === 'bigint') {
    throw new UnrecognisedNotification('its body is not a JSON object');
  }
  return value as JsonObject;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new UnrecognisedNotification('the body is not UTF-8 text');
  }
}

// Cross-Border wraps encrypted bodies as {"encrypted_payload":{"data":"<jwe>"}} (api-facts §2.3).
function encryptedToken(body: JsonObject): string | undefined {
  const wrapper = body.encrypted_payload;
  if (wrapper === undefined) return undefined;
  const data = typeof wrapper === 'object' && wrapper !== null && !Array.isArray(wrapper) ? (wrapper as JsonObject).data : undefined;
  if (typeof data !== 'string') throw new UnrecognisedNotification('encrypted_payload.data is not a JWE string');
  return data;
}

// Messages of our own typed errors and of UnrecognisedNotification say what was wrong without
// quoting the body; anything else is reduced to its kind.
function describe(error: unknown): string {
  if (error instanceof UnrecognisedNotification) return error.message;
  if (error instanceof McapiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.name : 'unknown failure';
}

/** The body as bytes, or undefined when it exceeds `limit`. Express's raw parser is honoured. */
async function readRequestBody(request: IncomingMessage & { body?: unknown }, limit: number): Promise<Uint8Array | string | undefined> {
  if (request.body instanceof Uint8Array || typeof request.body === 'string') return request.body;
  if (request.body !== undefined && request.readableEnded) {
    // A JSON body parser ran first and re-parsed the numbers: amounts and PANs may be altered.
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'The webhook body was already parsed by a JSON middleware, which alters long numbers; mount the handler before it, or use express.raw({ type: "application/json" }).',
    );
  }
  // Read to the end even past the limit (so the 413 can be answered on a healthy connection),
  // keeping nothing beyond it.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.once('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
