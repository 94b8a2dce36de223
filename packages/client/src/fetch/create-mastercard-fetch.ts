import { createPayloadCipher, type PayloadCipher, parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import { type MastercardFetchOptions, type ResolvedFetchConfig, resolveFetchConfig } from '../config/fetch-options.js';
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
  const send = createPipeline({
    transport,
    timeout: { timeoutMs: config.timeoutMs, transportEnforcesTimeout: enforcesTimeout },
    retry: config.retry,
    logger: config.logger,
    authorizer: config.authorizer,
  });
  const { maxRetries } = config;
  const cipher = buildCipher(config);

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
  return Object.assign(mastercardFetch, { close: async () => transport.close() });
}

function isJson(contentType: string | undefined): boolean {
  return contentType === undefined || /\bjson\b/i.test(contentType);
}

// One cipher for the fetch's lifetime: `@mcapi/jwe` calls a `decryptionKeys` function for every
// response itself, so a keyring reload after a rotation is picked up without rebuilding it.
function buildCipher(config: ResolvedFetchConfig): PayloadCipher | undefined {
  const { encryption, encryptionRules } = config;
  if (!encryption || !encryptionRules) return undefined;
  return createPayloadCipher({
    encryptionKey: encryption.encryptionKey,
    ...(encryption.kid === undefined ? {} : { kid: encryption.kid }),
    decryptionKeys: encryption.decryptionKeys,
    rules: encryptionRules,
  });
}
