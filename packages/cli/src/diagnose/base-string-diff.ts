/** Where two OAuth 1.0a signature base strings first differ. */
export interface BaseStringDifference {
  /** Character index of the first difference; undefined when the strings are identical. */
  index?: number;
  /** Which part holds it: the method, the base URI, or one parameter (named). */
  part?: 'method' | 'uri' | 'parameter';
  /** The parameter name (decoded), when `part` is `parameter`. */
  parameter?: string;
}

/**
 * Finds the first character where our base string and the gateway's differ and names the part
 * (RFC 5849 §3.4.1: `METHOD&pct(uri)&pct(k=v&…)`), so the cause can be told apart: a query value
 * encoded differently, a body hash of other bytes, another consumer key or timestamp.
 *
 * @example
 * ```ts
 * compareBaseStrings('GET&u&a%3D1', 'GET&u&a%3D2'); // { index: 10, part: 'parameter', parameter: 'a' }
 * ```
 */
export function compareBaseStrings(ours: string, theirs: string): BaseStringDifference {
  if (ours === theirs) return {};
  let index = 0;
  while (index < ours.length && index < theirs.length && ours[index] === theirs[index]) index++;
  const methodEnd = ours.indexOf('&');
  const uriEnd = methodEnd < 0 ? -1 : ours.indexOf('&', methodEnd + 1);
  if (methodEnd < 0 || index <= methodEnd) return { index, part: 'method' };
  if (uriEnd < 0 || index <= uriEnd) return { index, part: 'uri' };
  // The parameter string is percent-encoded once more: pairs are separated by %26, name and value by %3D.
  let start = uriEnd + 1;
  for (const pair of ours.slice(uriEnd + 1).split('%26')) {
    const end = start + pair.length;
    if (index <= end) return { index, part: 'parameter', parameter: decodeTwice(pair.split('%3D')[0] ?? '') };
    start = end + 3;
  }
  return { index, part: 'parameter' };
}

/**
 * The first difference in each part: the URI and the parameter string are compared on their own,
 * so a host or port rewritten by a proxy does not hide a query value encoded differently after it.
 */
export function differencesByPart(ours: string, theirs: string): BaseStringDifference[] {
  const split = (text: string) => {
    const first = text.indexOf('&');
    const second = first < 0 ? -1 : text.indexOf('&', first + 1);
    return first < 0 || second < 0 ? undefined : { uriStart: first + 1, paramsStart: second + 1 };
  };
  const a = split(ours);
  const b = split(theirs);
  if (!a || !b) return ours === theirs ? [] : [compareBaseStrings(ours, theirs)];
  const out: BaseStringDifference[] = [];
  if (ours.slice(0, a.uriStart) !== theirs.slice(0, b.uriStart)) out.push({ ...compareBaseStrings(ours, theirs), part: 'method' });
  else if (ours.slice(a.uriStart, a.paramsStart) !== theirs.slice(b.uriStart, b.paramsStart)) out.push(compareBaseStrings(ours, theirs));
  const oursParams = ours.slice(a.paramsStart);
  const theirsParams = theirs.slice(b.paramsStart);
  if (oursParams !== theirsParams) {
    // Compare the parameter strings as if the parts before them were ours, then shift back.
    const inParams = compareBaseStrings(ours, ours.slice(0, a.paramsStart) + theirsParams);
    out.push({ ...inParams, ...(inParams.index === undefined ? {} : { index: inParams.index }) });
  }
  return out;
}

function decodeTwice(text: string): string {
  try {
    return decodeURIComponent(decodeURIComponent(text));
  } catch {
    return text;
  }
}

/** The usual cause of a 401, in words, with what to do. */
export interface SignatureFailureCause {
  /** Stable name: `query-encoding`, `body-reserialised`, `consumer-key`, `clock-skew`, `signing-key`, `nonce-replayed`, `uri`, `method`, `unknown`. */
  kind: string;
  message: string;
}

/** What {@link explainSignatureFailure} reads. */
export interface SignatureFailure {
  ours?: string;
  theirs?: string;
  /** The envelope's `Source`, e.g. `OAuth.Timestamp` (the sandbox and Mastercard name the failing check). */
  source?: string;
  /** Our clock minus the server's `Date`, in seconds, when known. */
  clockSkewSeconds?: number;
}

/**
 * Names the usual cause of a signature failure from the gateway's `Source`, the first difference
 * of the base strings and the clock skew against the server's `Date`.
 *
 * @example
 * ```ts
 * explainSignatureFailure({ ours, theirs, source: 'OAuth.Signature' }).kind; // 'query-encoding' when a query value differs
 * ```
 */
export function explainSignatureFailure(failure: SignatureFailure): SignatureFailureCause {
  const parts = failure.ours !== undefined && failure.theirs !== undefined ? differencesByPart(failure.ours, failure.theirs) : [];
  // The most specific difference explains most: a parameter before the URL or the method.
  const difference = parts.find((part) => part.part === 'parameter') ?? parts[0] ?? {};
  const uriToo = difference.part === 'parameter' && parts.some((part) => part.part === 'uri')
    ? ' The URL differs too (scheme, host, port or path rewritten on the way, e.g. by a proxy or load balancer).'
    : '';
  const source = (failure.source ?? '').toLowerCase();
  const skew = failure.clockSkewSeconds;
  // A second or two is the Date header's resolution, not a cause: only mention a real skew.
  const skewText = skew === undefined || (Math.abs(skew) < 30 && !source.endsWith('timestamp')) ? '' : ` (this machine's clock is ${Math.abs(Math.round(skew))} s ${skew >= 0 ? 'ahead of' : 'behind'} the server's Date)`;
  if (source.endsWith('timestamp') || difference.parameter === 'oauth_timestamp') {
    return { kind: 'clock-skew', message: `clock skew: oauth_timestamp is outside the gateway's window${skewText}. Sync this machine's clock (NTP); every attempt is signed afresh.` };
  }
  if (source.endsWith('consumerkey') || difference.parameter === 'oauth_consumer_key') {
    return { kind: 'consumer-key', message: 'a wrong consumer key: the gateway does not know it for this environment. Copy it again from the project on Mastercard Developers (sandbox and production keys differ; check --env and the keyring entry).' };
  }
  if (source.endsWith('bodyhash') || difference.parameter === 'oauth_body_hash') {
    return { kind: 'body-reserialised', message: 'a re-serialised body: the bytes that arrived are not the bytes that were signed (something re-encoded the JSON after signing, e.g. a proxy or a second JSON.stringify). Sign the exact bytes you send.' };
  }
  if (source.endsWith('nonce')) return { kind: 'nonce-replayed', message: 'a replayed nonce: the same signed request was sent twice. Sign every request and every retry afresh.' };
  if (difference.part === 'parameter') {
    return { kind: 'query-encoding', message: `the encoding of a query value: the parameter ${difference.parameter ?? '?'} reached the gateway encoded differently from what was signed (RFC 3986: spaces as %20, not +; reserved characters such as : , / @ percent-encoded once). Sign the URL exactly as it is sent.${uriToo}` };
  }
  if (difference.part === 'uri') return { kind: 'uri', message: 'the URL: scheme, host, port or path differ from what was signed (a proxy or load balancer rewrote it, or the path is encoded differently). Sign the URL exactly as it is sent.' };
  if (difference.part === 'method') return { kind: 'method', message: 'the HTTP method differs from the one signed.' };
  if (failure.ours !== undefined && failure.theirs !== undefined) {
    return { kind: 'signing-key', message: `the base strings are identical, so the signature itself is wrong: the private key does not belong to the certificate registered for this consumer key (another key file, keyring entry or environment)${skewText}.` };
  }
  return { kind: 'unknown', message: `the gateway refused the credentials${skewText}. Check the consumer key, the signing key, the clock and, for mTLS APIs, the client certificate.` };
}

/**
 * Both base strings in rows of `width` characters, ours above theirs, with `^` under the first
 * difference (of the URI and of the parameters, when both differ), so the eye lands on it.
 *
 * @example
 * ```ts
 * alignBaseStrings('GET&u&a%3D1', 'GET&u&a%3D2').join('\n');
 * ```
 */
export function alignBaseStrings(ours: string, theirs: string, width = 96): string[] {
  const marks = differencesByPart(ours, theirs).map((part) => part.index).filter((index): index is number => index !== undefined);
  const lines: string[] = [];
  const length = Math.max(ours.length, theirs.length);
  for (let start = 0; start < length; start += width) {
    lines.push(`  ours    ${ours.slice(start, start + width)}`);
    lines.push(`  theirs  ${theirs.slice(start, start + width)}`);
    for (const index of marks) {
      if (index >= start && index < start + width) lines.push(`          ${' '.repeat(index - start)}^ first difference${marks.length > 1 ? ' in this part' : ''} (character ${index + 1})`);
    }
  }
  return lines;
}
