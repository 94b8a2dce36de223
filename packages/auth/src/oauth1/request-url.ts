import { McapiError } from '@mcapi/errors';

/**
 * Parses a request URL the way the HTTP client will send it. The WHATWG parser (what `fetch` and
 * undici use) lowercases the host, drops the default port, resolves dot segments and
 * percent-encodes characters that cannot travel raw, so signing its serialization signs the bytes
 * the gateway receives.
 */
export function parseRequestUrl(input: string | URL): URL {
  let url: URL;
  if (input instanceof URL) {
    url = input;
  } else if (typeof input === 'string') {
    try {
      url = new URL(input);
    } catch (cause) {
      // The URL itself is not echoed: its query may carry account data.
      throw new McapiError('ERR_OAUTH_INVALID_URL', 'The request URL is not an absolute URL: pass https://host/path?query.', { cause });
    }
  } else {
    throw new McapiError('ERR_OAUTH_INVALID_URL', 'The request URL must be a string or a URL object.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new McapiError('ERR_OAUTH_INVALID_URL', `The request URL must use https (or http for a local server), not ${url.protocol.slice(0, -1)}.`);
  }
  // A fragment never reaches the server, so a signature over it could not be checked there.
  if (url.href.includes('#')) {
    throw new McapiError('ERR_OAUTH_INVALID_URL', 'The request URL has a fragment (#…); remove it: fragments are not sent to the server.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new McapiError('ERR_OAUTH_INVALID_URL', 'The request URL carries user credentials (user:password@host); remove them.');
  }
  return url;
}

/**
 * Checks an expected origin (`https://api.example.com[:port]`): scheme and host only, no path,
 * query or credentials. Returns its canonical form (what `URL.origin` gives).
 */
export function expectedOriginOf(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' || value instanceof URL ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new McapiError('ERR_INVALID_OPTION', 'options.expectedOrigin must be the origin clients call, such as https://api.example.com (scheme, host and port only).');
  }
  return url.origin;
}
