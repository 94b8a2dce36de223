/** The oauth_* parameters a Mastercard OAuth 1.0a `Authorization` header carries. */
export const oauthParameterNames = [
  'oauth_body_hash',
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_version',
] as const;

export type OAuthParameterName = (typeof oauthParameterNames)[number];

const known = new Set<string>(oauthParameterNames);

/** Result of {@link parseAuthorizationHeader}: the raw (undecoded) values, or why it failed. */
export type ParsedHeader =
  | { ok: true; params: Partial<Record<OAuthParameterName, string>> }
  | { ok: false; message: string };

const isNameChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
// Inside quotes: visible ASCII and space, without `"` and `\` (no quoted-pairs: every value a
// Mastercard client writes is either raw token text or percent-encoded).
const isValueChar = (code: number): boolean => code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c;
const isSpace = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * Strict parser of `OAuth k="v",k="v"…`: the scheme written `OAuth` followed by one space, every
 * value quoted, `,` between parameters (spaces allowed around it), no duplicates, only the
 * oauth_* names Mastercard uses. Values are returned as written.
 */
export function parseAuthorizationHeader(header: string): ParsedHeader {
  if (!header.startsWith('OAuth ')) return { ok: false, message: 'The Authorization header does not start with "OAuth ".' };
  const params: Partial<Record<OAuthParameterName, string>> = {};
  let index = 6;
  const length = header.length;
  for (;;) {
    const nameStart = index;
    while (index < length && isNameChar(header.charCodeAt(index))) index++;
    const name = header.slice(nameStart, index);
    if (name === '') return { ok: false, message: `Expected a parameter name at position ${index}.` };
    if (header.charCodeAt(index) !== 0x3d || header.charCodeAt(index + 1) !== 0x22) {
      return { ok: false, message: `Parameter ${name} is not followed by ="…" (every value must be quoted).` };
    }
    index += 2;
    const valueStart = index;
    while (index < length && isValueChar(header.charCodeAt(index))) index++;
    if (header.charCodeAt(index) !== 0x22) return { ok: false, message: `The value of ${name} has no closing quote or holds a forbidden character.` };
    const value = header.slice(valueStart, index);
    index++;
    if (!known.has(name)) return { ok: false, message: `Unknown parameter ${name} in the Authorization header.` };
    if (Object.hasOwn(params, name)) return { ok: false, message: `Parameter ${name} appears twice.` };
    params[name as OAuthParameterName] = value;
    while (index < length && isSpace(header.charCodeAt(index))) index++;
    if (index === length) return { ok: true, params };
    if (header.charCodeAt(index) !== 0x2c) return { ok: false, message: `Expected "," after parameter ${name}.` };
    index++;
    while (index < length && isSpace(header.charCodeAt(index))) index++;
  }
}
