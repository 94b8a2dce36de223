import type { Step } from './types.js';

/**
 * Computes the headers that authenticate one attempt, from the exact method, URL and body bytes
 * about to be sent (OAuth 1.0a signs the body hash of the encrypted body). Called once per attempt.
 */
export type Authorizer = (request: { method: string; url: string; body: string | undefined }) => Promise<Record<string, string>>;

/**
 * Inside the retry loop: every attempt is signed anew (fresh nonce and timestamp), after
 * encryption, over the bytes on the wire (mastercard-security.md §3).
 *
 * @example
 * ```ts
 * authorizeStep(async ({ method, url, body }) => ({ authorization: await signer.authorize({ method, url, body }) }));
 * ```
 */
export function authorizeStep(authorize: Authorizer): Step {
  return (next) => async (request) => {
    const headers = await authorize({ method: request.method, url: request.url, body: request.body });
    return next({ ...request, headers: { ...request.headers, ...headers } });
  };
}
