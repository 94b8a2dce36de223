import type { Agent as HttpsAgent } from 'node:https';
import { McapiError, redact, redactText } from '@mcapi/errors';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import { createHttpsAgent } from '@mcapi/transport-mtls';
import { createApiAuth } from '../auth/api-auth.js';
import { DEFAULT_TIMEOUT_MS } from '../config/defaults.js';
import type { MastercardFetchOptions } from '../config/fetch-options.js';
import { resolveEncryptionRules, resolveSigning } from '../config/fetch-options.js';
import { checkObject, checkOptionsObject, failIn } from '../config/option-rules.js';
import { createAdapterCipher, decryptAdapterBody, encryptAdapterBody, isJsonType } from '../encryption/adapter-cipher.js';
import { createApiError, type McapiApiError } from '../errors/api-error.js';
import { readErrorBody } from '../pipeline/error-body-step.js';
import { requestIdHeader } from '../pipeline/serialize-step.js';
import { type AxiosConfigLike, type AxiosInstanceCalls, type AxiosInstanceLike, type AxiosResponseLike, headerOf, headerRecord, isAxiosInstance, setHeader } from './axios-shapes.js';

/**
 * Options of {@link createAxiosInterceptors}: those of `createMastercardFetch` that decide what is
 * sent (credentials, encryption rules, TLS and proxy). Timeouts and retries stay axios's own
 * (`timeout`, axios-retry), so they are not options here.
 */
export type AxiosInterceptorsOptions = Pick<
  MastercardFetchOptions,
  'mtls' | 'ca' | 'proxy' | 'oauth1' | 'requestToken' | 'oauth2' | 'authorizer' | 'encryption' | 'encryptionRules'
>;

/** What {@link createAxiosInterceptors} returns. */
export interface MastercardAxiosInterceptors {
  /**
   * Adds the request and response interceptors to an axios instance (the one a generated
   * `typescript-axios` or `javascript` client is given); returns a function that removes them.
   */
  install(instance: AxiosInstanceLike): () => void;
  /** The `node:https` Agent every intercepted request is sent with: client certificate, `ca`, proxy. */
  readonly httpsAgent: HttpsAgent;
  /** Closes the agent's sockets and the OAuth 2.0 token connections. */
  close(): Promise<void>;
}

const knownOptions = ['mtls', 'ca', 'proxy', 'oauth1', 'requestToken', 'oauth2', 'authorizer', 'encryption', 'encryptionRules'] as const;
const identity = (data: unknown): unknown => data;

// What the request interceptor decided, for the response side of the same request.
interface Sent {
  url: string;
  method: string;
  /** True when the interceptor asked axios for text, so the body is parsed here, losslessly. */
  parse: boolean;
}

/**
 * Request and response interceptors that make axios talk to Mastercard APIs the way
 * `createMastercardFetch` does: JWE by endpoint rule, then OAuth 1.0a (over the exact encrypted
 * bytes), the request token or OAuth 2.0 (DPoP) in headers, mTLS and the proxy through an https
 * agent (`createHttpsAgent` of `@mcapi/transport-mtls`), and lossless JSON both ways: bodies are
 * written by `stringifyJsonLossless` and answers parsed by `parseJsonLossless`, so no number is
 * altered. HTTP errors stay axios errors (`AxiosError`), with Mastercard's envelope parsed on
 * `error.mcapi` (an {@link McapiApiError}: `reasonCode`, `errors`, …) and the request's
 * credentials and card numbers taken out of the error (`config.headers`, `config.data`,
 * `response.data`, `request`).
 *
 * axios is an optional peer dependency (1.7 or later); `install` takes any axios instance.
 *
 * @throws McapiError `ERR_INVALID_OPTION` naming the option, at construction.
 * @example
 * ```ts
 * import axios from 'axios';
 * const mastercard = createAxiosInterceptors({
 *   oauth1: { consumerKey, signingKey },
 *   encryption: { encryptionKey, decryptionKeys: () => keyring.decryptionKeys('sandbox') },
 *   encryptionRules: [{ path: /\/crossborder\//, ...payloadPresets.crossBorder }],
 * });
 * const api = axios.create({ baseURL: 'https://sandbox.api.mastercard.com' });
 * mastercard.install(api);
 * try { await api.post(`/send/v1/partners/${partnerId}/crossborder/quotes`, { quoterequest }); }
 * catch (error) { console.log(mcapiErrorOf(error)?.reasonCode); }
 * await mastercard.close();
 * ```
 */
export function createAxiosInterceptors(options: AxiosInterceptorsOptions = {}): MastercardAxiosInterceptors {
  const fail = failIn('createAxiosInterceptors');
  for (const name of Object.keys(options ?? {})) {
    const hint = axiosHint(name);
    if (hint !== undefined) fail(`${name} is not an option here: ${hint}`);
  }
  checkOptionsObject(options, 'options', knownOptions, fail);
  const mtls = checkObject<NonNullable<AxiosInterceptorsOptions['mtls']>>(options.mtls, 'mtls', fail);
  const auth = resolveSigning(options, fail);
  const { encryption, encryptionRules } = resolveEncryptionRules(options, fail);
  const httpsAgent = createHttpsAgent({
    ...(mtls === undefined ? {} : { credentials: mtls }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
  });
  const tokenTransport = {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
  };
  const { authorizer, close: closeAuth } = createApiAuth(auth, tokenTransport);
  const cipher = createAdapterCipher(encryption, encryptionRules);
  const sent = new WeakMap<object, Sent>();

  const onRequest = (instance: AxiosInstanceCalls) => async (config: AxiosConfigLike): Promise<AxiosConfigLike> => {
    const method = (config.method ?? 'get').toUpperCase();
    // The URL axios would build (baseURL + url + params), fixed here so that what is signed is
    // exactly what is sent.
    const url = new URL(instance.getUri(config)).href;
    let body = requestBody(config, authorizer !== undefined || cipher !== undefined);
    if (body !== undefined && headerOf(config.headers, 'content-type') === undefined) setHeader(config.headers, 'content-type', 'application/json');
    if (cipher) {
      const encrypted = await encryptAdapterBody(cipher, { url, method, body, contentType: headerOf(config.headers, 'content-type') });
      body = encrypted.body;
      for (const [name, value] of Object.entries(encrypted.headers)) setHeader(config.headers, name, value);
    }
    if (authorizer) {
      for (const [name, value] of Object.entries(await authorizer({ method, url, body }))) setHeader(config.headers, name, value);
    }
    config.url = url;
    config.baseURL = undefined;
    config.params = undefined;
    config.data = body;
    // axios's default transform trims strings and re-encodes objects: the signed bytes go as they are.
    config.transformRequest = [identity];
    // The agent carries the client certificate and the proxy; axios's own proxy handling would
    // replace it with an agent of its own.
    // Not enumerable: the agent's pooled sockets lead to earlier requests and their headers, which
    // logging the config (or an AxiosError holding it) must not walk into. axios reads it all the same.
    Object.defineProperty(config, 'httpsAgent', { value: httpsAgent, enumerable: false, writable: true, configurable: true });
    config.proxy = false;
    const parse = config.responseType === undefined || config.responseType === 'json';
    // Text, so the answer is parsed here without JSON.parse rounding its numbers.
    if (parse) config.responseType = 'text';
    sent.set(config, { url, method, parse });
    return config;
  };

  const onResponse = async (response: AxiosResponseLike): Promise<AxiosResponseLike> => {
    const request = sent.get(response.config);
    if (request === undefined || typeof response.data !== 'string') return response;
    const headers = headerRecord(response.headers);
    if (cipher) {
      const decrypted = await decryptAdapterBody(cipher, { url: request.url, method: request.method, text: response.data, headers });
      if (decrypted !== undefined) {
        response.data = decrypted;
        return response;
      }
    }
    if (request.parse && response.data.trim() !== '' && isJsonType(headers['content-type'])) {
      try {
        response.data = parseJsonLossless(response.data);
      } catch {
        // As axios does by default: a body that is not JSON stays text.
      }
    }
    return response;
  };

  const onError = async (error: unknown): Promise<never> => {
    const config = (error as { config?: AxiosConfigLike } | null)?.config;
    const request = config === undefined ? undefined : sent.get(config);
    if (request === undefined || config === undefined) throw error;
    const failed = error as { response?: AxiosResponseLike; request?: unknown; mcapi?: McapiApiError };
    const response = failed.response;
    if (response !== undefined) {
      const headers = headerRecord(response.headers);
      const text = typeof response.data === 'string' ? response.data : response.data === undefined ? '' : stringifyJsonLossless(response.data);
      let parsed = readErrorBody(text);
      if (cipher && text !== '') {
        // A (rare) encrypted error body: decrypted when it can be, else read as it came.
        const decrypted = await decryptAdapterBody(cipher, { url: request.url, method: request.method, text, headers }).catch(() => undefined);
        if (decrypted !== undefined) parsed = readErrorBody(stringifyJsonLossless(decrypted));
      }
      const requestId = parsed.errors.find((entry) => entry.requestId !== undefined)?.requestId ?? requestIdHeader(headers);
      failed.mcapi = createApiError({
        status: response.status,
        method: request.method,
        url: request.url,
        errors: parsed.errors,
        ...(requestId === undefined ? {} : { requestId }),
        headers,
        body: parsed.body,
      });
      // The envelope as the error keeps it: card numbers masked, secret members removed.
      response.data = failed.mcapi.body;
    }
    scrub(config, failed, response);
    throw error;
  };

  return {
    httpsAgent,
    install(instance) {
      if (!isAxiosInstance(instance)) {
        throw new McapiError('ERR_INVALID_OPTION', 'createAxiosInterceptors: install() takes an axios instance (axios, or axios.create()).');
      }
      const requestId = instance.interceptors.request.use(onRequest(instance));
      const responseId = instance.interceptors.response.use(onResponse, onError);
      return () => {
        instance.interceptors.request.eject(requestId);
        instance.interceptors.response.eject(responseId);
      };
    },
    async close() {
      httpsAgent.destroy();
      await closeAuth();
    },
  };
}

/**
 * The Mastercard error of an axios error raised through {@link createAxiosInterceptors}, if any.
 *
 * @example
 * ```ts
 * catch (error) { if (mcapiErrorOf(error)?.reasonCode === 'DECLINE') … }
 * ```
 */
export function mcapiErrorOf(error: unknown): McapiApiError | undefined {
  const mcapi = (error as { mcapi?: unknown } | null)?.mcapi;
  return mcapi instanceof Error ? (mcapi as McapiApiError) : undefined;
}

const axiosHint = (name: string): string | undefined =>
  name === 'timeout' || name === 'maxRetries' || name === 'retry'
    ? 'set timeouts on axios itself (axios.create({ timeout })) and retries with an axios retry interceptor'
    : name === 'dispatcher'
      ? 'axios sends through an https agent, not an undici dispatcher: use mtls, ca and proxy'
      : undefined;

// The body text to send: objects written losslessly (a JsonNumber or bigint keeps its digits), a
// string as given. Anything else (a stream, FormData, bytes) cannot be encrypted or signed here.
function requestBody(config: AxiosConfigLike, mustRead: boolean): string | undefined {
  const data = config.data;
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return data;
  if (typeof data === 'number' || typeof data === 'boolean' || typeof data === 'bigint' || isPlainJson(data)) return stringifyJsonLossless(data);
  if (!mustRead) return data as never;
  throw new McapiError(
    'ERR_INVALID_OPTION',
    'createAxiosInterceptors: the request body must be JSON (an object, array or string) to be encrypted and signed; send streams, bytes and forms without these interceptors.',
  );
}

function isPlainJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// An axios error keeps the request config and the Node request: the signed headers (a bearer
// token, a DPoP proof), the body sent and the raw request head. Logged whole, it must show none.
function scrub(config: AxiosConfigLike, error: { request?: unknown }, response: AxiosResponseLike | undefined): void {
  const headers = config.headers;
  for (const [name, value] of Object.entries(redact(headerRecord(headers)))) {
    if (value !== headerOf(headers, name)) setHeader(headers, name, String(value));
  }
  if (typeof config.data === 'string') config.data = redactText(config.data);
  // The ClientRequest holds the request head with the Authorization line; what is kept says
  // which request it was and nothing else.
  const summary = Object.freeze({ method: (config.method ?? 'get').toUpperCase(), path: redactText(safePath(config.url)) });
  if (error.request !== undefined) error.request = summary;
  if (response !== undefined && response.request !== undefined) response.request = summary;
}

function safePath(url: string | undefined): string {
  try {
    return new URL(url ?? '').pathname;
  } catch {
    return '';
  }
}
