import { compareBytewise, hasPercentEscape, reencodeComponent } from './percent-encode.js';

/** One request parameter, already in its normalized (base string) form. */
export type OAuth1Parameter = readonly [key: string, value: string];

/**
 * Normalized, sorted request parameters (RFC 5849 §3.4.1.3, Mastercard flavour), joined as the
 * parameter string `k=v&k=v…`:
 * - the query is split on `&`; a pair without `=` has the empty value; duplicates are kept;
 * - if the raw query holds any `%xx` escape, every key and value is percent-decoded (`+` is not
 *   a space) and encoded again RFC 3986 style; otherwise the raw text is used as written;
 * - the oauth_* parameters are added with their raw values;
 * - pairs are sorted by key, then value, in byte order.
 *
 * `query` is the raw query string, with or without its leading `?` (e.g. `new URL(u).search`).
 *
 * @example
 * ```ts
 * collectParameters('?offset=0&offset=1&length=10&empty&odd=');
 * // 'empty=&length=10&odd=&offset=0&offset=1'
 * collectParameters('a=%2a', { oauth_nonce: 'abc' }); // 'a=%2A&oauth_nonce=abc'
 * ```
 */
export function collectParameters(query: string, oauthParams: Readonly<Record<string, string>> = {}): string {
  const pairs = queryParameters(query);
  for (const key of Object.keys(oauthParams)) pairs.push([key, oauthParams[key]!]);
  return parameterString(pairs);
}

/** The query's parameters in normalized form, unsorted. */
export function queryParameters(query: string): OAuth1Parameter[] {
  const raw = query.startsWith('?') ? query.slice(1) : query;
  const pairs: OAuth1Parameter[] = [];
  if (raw === '') return pairs;
  // Mastercard's Java signer, the gateway's reference, decodes and re-encodes only when the query
  // was sent encoded; raw queries are signed as written (vectors: `param=token1:token2`).
  const reencode = hasPercentEscape(raw);
  for (const pair of raw.split('&')) {
    // Empty segments (`a=1&&b=2`) carry no parameter, as in application/x-www-form-urlencoded.
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    pairs.push(reencode ? [reencodeComponent(key), reencodeComponent(value)] : [key, value]);
  }
  return pairs;
}

/** Sorts `pairs` in place (key, then value, byte order) and joins them `k=v&…`. */
export function parameterString(pairs: OAuth1Parameter[]): string {
  pairs.sort((a, b) => compareBytewise(a[0], b[0]) || compareBytewise(a[1], b[1]));
  let out = '';
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index]!;
    out += index === 0 ? `${pair[0]}=${pair[1]}` : `&${pair[0]}=${pair[1]}`;
  }
  return out;
}
