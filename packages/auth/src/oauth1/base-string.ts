import { baseUriOf } from './base-uri.js';
import { type OAuth1Parameter, parameterString, queryParameters } from './parameters.js';
import { percentEncode } from './percent-encode.js';
import { parseRequestUrl } from './request-url.js';

/**
 * The signature base string (RFC 5849 §3.4.1): `METHOD&pct(baseUri)&pct(parameterString)`, the
 * method uppercased as Mastercard's Java signer does, `oauthParams` merged with their raw values
 * (pass every oauth_* parameter except `oauth_signature`).
 *
 * @example
 * ```ts
 * signatureBaseString('GET', 'https://example.com/?param=token1%3Atoken2', {});
 * // 'GET&https%3A%2F%2Fexample.com%2F&param%3Dtoken1%253Atoken2'
 * ```
 */
export function signatureBaseString(method: string, url: string | URL, oauthParams: Readonly<Record<string, string>>): string {
  const parsed = parseRequestUrl(url);
  const pairs = queryParameters(parsed.search);
  for (const key of Object.keys(oauthParams)) pairs.push([key, oauthParams[key]!]);
  return baseStringOf(method, parsed, pairs);
}

/** Base string of a parsed URL and its collected (unsorted) parameters; sorts `pairs`. */
export function baseStringOf(method: string, url: URL, pairs: OAuth1Parameter[]): string {
  return `${method.toUpperCase()}&${percentEncode(baseUriOf(url))}&${percentEncode(parameterString(pairs))}`;
}
