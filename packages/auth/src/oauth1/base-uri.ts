import { parseRequestUrl } from './request-url.js';

/**
 * The base string URI (RFC 5849 §3.4.1.2, Mastercard flavour): scheme and host lowercased, the
 * default port (443 for https, 80 for http) removed, the path kept as written (`%20` stays
 * `%20`), an empty path becoming `/`, no query and no fragment.
 *
 * @example
 * ```ts
 * baseUri('http://EXAMPLE.COM:80/r%20v/X?id=123'); // 'http://example.com/r%20v/X'
 * baseUri('https://www.example.net:8080');         // 'https://www.example.net:8080/'
 * ```
 */
export function baseUri(url: string | URL): string {
  return baseUriOf(parseRequestUrl(url));
}

/** {@link baseUri} of an already parsed and checked URL. */
export function baseUriOf(url: URL): string {
  // WHATWG `host` is already lowercase and omits the scheme's default port; `pathname` of an
  // http(s) URL is never empty and keeps existing escapes untouched.
  return `${url.protocol}//${url.host}${url.pathname}`;
}
