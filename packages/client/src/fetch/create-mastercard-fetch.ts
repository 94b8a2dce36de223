import { McapiError } from '@mcapi/errors';
import { createPayloadCipher, type PayloadCipher, type PayloadRule, parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import type { CaSource, MtlsCredentials } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import { type OAuth1Credentials, oauth1Authorizer } from '../auth/authorizers.js';
import type { EncryptionCredentials } from '../client/create-client.js';
import { type ClientLogEvent, safeLogger } from '../logging/logger.js';
import { type Authorizer, authorizeStep } from '../pipeline/authorize-step.js';
import { logStep } from '../pipeline/log-step.js';
import type { RetryPolicyOptions } from '../pipeline/retry-policy.js';
import { retryStep } from '../pipeline/retry-step.js';
import { transportHandler } from '../pipeline/transport-handler.js';
import { createApiTransport } from '../transport/api-transport.js';
import { compose, type HttpMethod, type Step } from '../pipeline/types.js';

/** Options of {@link createMastercardFetch}. */
export interface MastercardFetchOptions {
  /** Client certificate (mTLS APIs). */
  mtls?: MtlsCredentials;
  /** Trusted roots replacing the defaults. */
  ca?: CaSource;
  /** Send through this undici dispatcher instead (not closed by `close()`). */
  dispatcher?: Dispatcher;
  /** OAuth 1.0a signing of every request (after encryption, over the bytes sent). */
  oauth1?: OAuth1Credentials;
  /** A custom authorizer instead of `oauth1`. */
  authorizer?: Authorizer;
  /** JWE keys used by `encryptionRules`. */
  encryption?: EncryptionCredentials;
  /**
   * Which endpoints are encrypted and where (method + path template or RegExp, JSON paths):
   * `@mcapi/jwe` payload rules, e.g. `{ path: '/card-segments', ...payloadPresets.encryptedData }`.
   */
  encryptionRules?: readonly PayloadRule[];
  /** Per-attempt timeout in ms; default 60 000. */
  timeout?: number;
  /** Retries of safe failures (GET/PUT/DELETE, 429, 503, not-sent connections); default 2. */
  maxRetries?: number;
  retry?: Omit<RetryPolicyOptions, 'random' | 'now'>;
  logger?: (event: ClientLogEvent) => void;
}

/** A WHATWG `fetch` plus `close()` for the connections it opened. */
export type MastercardFetch = ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & { close(): Promise<void> };

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const bodyDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A `fetch` that applies mTLS, OAuth 1.0a signing and JWE payload encryption by path, so clients
 * generated from Mastercard's OpenAPI files (openapi-fetch, hey-api, orval, openapi-generator
 * `typescript-fetch`) work by passing it in. Responses come back decrypted; HTTP errors are
 * ordinary responses (fetch semantics), not exceptions.
 *
 * @example
 * ```ts
 * import createOpenApiClient from 'openapi-fetch';
 * const fetch = createMastercardFetch({ mtls: keyring.active('mtls', 'sandbox'), encryption, encryptionRules: [
 *   { path: /./, ...payloadPresets.encryptedData },
 * ] });
 * const api = createOpenApiClient<BenefitAllocationPaths>({ baseUrl, fetch });
 * ```
 */
export function createMastercardFetch(options: MastercardFetchOptions = {}): MastercardFetch {
  const timeoutMs = options.timeout ?? 60_000;
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw invalid('timeout must be a positive number of milliseconds');
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw invalid('maxRetries must be an integer from 0 to 10');
  if (options.encryptionRules && !options.encryption) throw invalid('encryptionRules need encryption keys (encryption)');
  // The pool enforces `timeout` (its headers and body timeouts), so no per-attempt timer is needed.
  const transport = createApiTransport({ credentials: options.mtls, ca: options.ca, dispatcher: options.dispatcher, timeoutMs });
  const logger = safeLogger(options.logger);
  const authorizer = options.authorizer ?? (options.oauth1 ? oauth1Authorizer(options.oauth1) : undefined);
  const steps: Step[] = [retryStep({ ...options.retry, ...(logger === undefined ? {} : { logger }) })];
  if (logger) steps.push(logStep(logger));
  if (authorizer) steps.push(authorizeStep(authorizer));
  const send = compose(steps, transportHandler(transport, options.dispatcher ? {} : { enforcedTimeoutMs: timeoutMs }));
  const cipher = buildCipher(options);

  const mastercardFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase() as HttpMethod;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // Decoded keeping a byte-order mark, so a body no rule touches is sent as the same bytes.
    let body = request.body === null ? undefined : bodyDecoder.decode(await request.arrayBuffer());
    if (cipher && body !== undefined && body !== '' && isJson(headers['content-type'])) {
      // Parsed only when a rule applies; lossless both ways, so a 19-digit PAN or `105.10`
      // elsewhere in the body reaches the server as written.
      if (cipher.applies({ url: request.url, method }, 'request')) {
        const json = parseJsonLossless(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
        const encrypted = await cipher.encryptRequest({ url: request.url, method, body: json });
        if (encrypted.encrypted) {
          body = stringifyJsonLossless(encrypted.body);
          Object.assign(headers, encrypted.headers);
        }
      }
    } else if (cipher) {
      // GET with a rule that adds headers (Cross-Border's x-encrypted asks for an encrypted answer).
      const probe = await cipher.encryptRequest({ url: request.url, method, body: {} });
      if (probe.encrypted) Object.assign(headers, probe.headers);
    }
    const response = await send({
      operation: `fetch ${method}`,
      method,
      url: request.url,
      headers,
      ...(body === undefined ? {} : { body }),
      idempotent: idempotentMethods.has(method),
      ...(request.signal ? { signal: request.signal } : {}),
      timeoutMs,
      maxRetries,
      attempt: 0,
    });
    // Unchanged bodies go back as the bytes received; only a decrypted one is written anew.
    let payload: string | Uint8Array = response.bytes ?? response.text;
    if (cipher && response.text !== '' && isJson(response.headers['content-type']) && cipher.applies({ url: request.url, method }, 'response')) {
      const parsed = parseJsonLossless(response.text);
      const decrypted = await cipher.decryptResponse({ url: request.url, method, body: parsed, headers: response.headers });
      if (decrypted.decrypted) payload = stringifyJsonLossless(decrypted.body);
    }
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304 || method === 'HEAD';
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') out.set(name, value);
    }
    return new Response(nullBody ? null : payload, { status: response.status, headers: out });
  };
  return Object.assign(mastercardFetch, { close: async () => transport.close?.() });
}

function invalid(message: string): McapiError {
  return new McapiError('ERR_INVALID_OPTION', `createMastercardFetch: ${message}.`);
}

function isJson(contentType: string | undefined): boolean {
  return contentType === undefined || /\bjson\b/i.test(contentType);
}

// One cipher for the fetch's lifetime: `@mcapi/jwe` calls a `decryptionKeys` function for every
// response itself, so a keyring reload after a rotation is picked up without rebuilding it.
function buildCipher(options: MastercardFetchOptions): PayloadCipher | undefined {
  const { encryption, encryptionRules } = options;
  if (!encryption || !encryptionRules) return undefined;
  return createPayloadCipher({
    encryptionKey: encryption.encryptionKey,
    ...(encryption.kid === undefined ? {} : { kid: encryption.kid }),
    decryptionKeys: encryption.decryptionKeys,
    rules: encryptionRules,
  });
}
