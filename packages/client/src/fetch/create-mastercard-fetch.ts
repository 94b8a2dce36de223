import { stringifyJsonLossless } from '@mcapi/jwe';
import { createApiAuth } from '../auth/api-auth.js';
import { type MastercardFetchOptions, resolveFetchConfig } from '../config/fetch-options.js';
import { createAdapterCipher, decryptAdapterBody, encryptAdapterBody } from '../encryption/adapter-cipher.js';
import { createPipeline } from '../pipeline/pipeline.js';
import type { HttpMethod } from '../pipeline/types.js';
import { createApiTransport } from '../transport/api-transport.js';

export type { MastercardFetchOptions } from '../config/fetch-options.js';

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
 * @throws {McapiError} `ERR_INVALID_OPTION` naming the option, at construction.
 * @throws {McapiError} when (the returned `fetch`) the request cannot be completed: the transport's codes (`ERR_CONNECTION`, `ERR_MTLS_HANDSHAKE_REJECTED`, `ERR_TLS_SERVER_UNTRUSTED`, `ERR_TLS_HOSTNAME_MISMATCH`, `ERR_CONNECT_TIMEOUT`, `ERR_HEADERS_TIMEOUT`, `ERR_BODY_TIMEOUT`, `ERR_RESPONSE_TOO_LARGE`, `ERR_ABORTED`), `ERR_PAYLOAD_PATH` when a body lacks what an encryption rule names, `@mcapi/jwe`'s codes when a response cannot be decrypted (`ERR_JWE_DECRYPTION_FAILED`, `ERR_JWE_UNKNOWN_KID`, `ERR_JWE_MALFORMED`), `ERR_OAUTH2_TOKEN` when no OAuth 2.0 token can be had. HTTP error statuses are responses, not rejections.
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
  const config = resolveFetchConfig(options);
  const { transport, enforcesTimeout } = createApiTransport(config.transport);
  // OAuth 2.0 token requests go through a pool of their own, with the same roots and proxy.
  const auth = createApiAuth(config.auth, { ...config.transport, credentials: undefined });
  const send = createPipeline({
    transport,
    timeout: { timeoutMs: config.timeoutMs, transportEnforcesTimeout: enforcesTimeout },
    retry: config.retry,
    logger: config.logger,
    authorizer: auth.authorizer,
  });
  const { maxRetries } = config;
  const cipher = createAdapterCipher(config.encryption, config.encryptionRules);

  const mastercardFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase() as HttpMethod;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // Decoded keeping a byte-order mark, so a body no rule touches is sent as the same bytes.
    let body = request.body === null ? undefined : bodyDecoder.decode(await request.arrayBuffer());
    if (cipher) {
      const encrypted = await encryptAdapterBody(cipher, { url: request.url, method, body, contentType: headers['content-type'] });
      body = encrypted.body;
      Object.assign(headers, encrypted.headers);
    }
    const response = await send({
      operation: `fetch ${method}`,
      method,
      url: request.url,
      headers,
      ...(body === undefined ? {} : { body }),
      idempotent: idempotentMethods.has(method),
      ...(request.signal ? { signal: request.signal } : {}),
      maxRetries,
      attempt: 0,
    });
    // Unchanged bodies go back as the bytes received; only a decrypted one is written anew.
    let payload: string | Uint8Array = response.bytes ?? response.text;
    if (cipher) {
      const decrypted = await decryptAdapterBody(cipher, { url: request.url, method, text: response.text, headers: response.headers });
      if (decrypted !== undefined) payload = stringifyJsonLossless(decrypted);
    }
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304 || method === 'HEAD';
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') out.set(name, value);
    }
    return new Response(nullBody ? null : payload, { status: response.status, headers: out });
  };
  return Object.assign(mastercardFetch, { close: async () => {
      await Promise.all([transport.close(), auth.close()]);
    },
  });
}
