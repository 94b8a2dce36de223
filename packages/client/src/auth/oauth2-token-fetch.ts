import type { FetchLike } from '@mcapi/auth';
import type { Transport } from '../pipeline/types.js';

// Statuses whose responses cannot have a body (the Response constructor refuses one).
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` over one of the client's transports, so token requests trust the same roots (the
 * sandbox CA) and go through the same dispatcher as the API calls. Only what the OAuth 2.0
 * clients of `@mcapi/auth` send is supported: string bodies and plain headers.
 *
 * @example
 * ```ts
 * const fapi = createFapi2Client({ ...options, fetch: transportFetch(createApiTransport({ ca, timeoutMs: 60_000 })) });
 * ```
 */
export function transportFetch(transport: Transport): FetchLike {
  return async (input, init = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('transportFetch sends string bodies only (OAuth 2.0 token requests are form strings).');
    }
    const response = await transport.request({
      method: init.method ?? 'GET',
      url: String(input),
      headers,
      ...(typeof body === 'string' && { body }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.set(name, value);
    }
    return new Response(nullBodyStatuses.has(response.status) ? null : response.body, { status: response.status, headers: responseHeaders });
  };
}
