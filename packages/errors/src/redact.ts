// What must never reach a message or a log line. Each rule is narrow on purpose: redaction that
// eats ordinary text makes logs useless, so we match shapes, not words.
import { REDACTED, isPanLike, maskPan, maskPansInText } from './pan.js';

// Header names whose values are credentials in any scheme (OAuth 1.0a, Bearer, DPoP, Basic).
const secretHeaderNames = new Set(['authorization', 'proxy-authorization', 'dpop', 'cookie', 'set-cookie', 'x-api-key']);

// Object keys whose values are secrets whatever they hold: passphrases, client secrets, every
// kind of token (`token`, `access_token`, `refreshToken`, `id_token`, …), PKCE verifiers, API
// keys, assertions and private keys.
const secretKeyPattern =
  /pass(word|phrase)?|secret|private.?key|client.?assertion|refresh.?token|access.?token|token$|code.?verifier|api.?key|^key$|^assertion$|^(user.?)?pin(.?value)?$/i;

// The private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1): redacted in any object that
// has a `kty`, and in text when they hold a base64url value.
const jwkPrivateMembers = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']);

const pemBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Either an OAuth 1.0a parameter list (k="v", …) or a single token (Bearer, DPoP, Basic), in any
// letter case (HTTP auth schemes are case-insensitive, RFC 9110 §11.1).
const authorizationValue =
  /\b(OAuth|Bearer|DPoP|Basic)\s+([A-Za-z0-9_]+="[^"]*"(?:\s*,\s*[A-Za-z0-9_]+="[^"]*")*|[^\s"',]+)/gi;
const canonicalSchemes = new Set(['OAuth', 'Bearer', 'DPoP', 'Basic']);
// A header line (`authorization: …`, `dpop: …`) as in a raw request dump: the rest of the line.
const secretHeaderLine = /(?<![\w-])(authorization|proxy-authorization|dpop|cookie|set-cookie|x-api-key)(\s*:\s*)(?=[^\s"'])[^\r\n]+/gi;
// A secret-named field in text: `client_secret=…` (query strings, form bodies) or
// `"access_token": "…"` / `passphrase: '…'` (JSON, util.inspect). The name must end with the
// secret word, so `token_type` or `passphrase-env` are left alone.
// An HSM PIN too: `pin=…`, and RFC 7512's `pin-value=…` inside a pkcs11: URI (the engine
// identifier @mcapi/pkcs11 builds carries one).
const secretName =
  '[A-Za-z0-9_.-]*?(?:pass(?:word|phrase)?|secret|private[_-]?key|client[_-]?assertion|token|code[_-]?verifier|api[_-]?key)|key|assertion|(?:user[_-]?)?pin(?:[_-]value)?';
const quotedValue = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`;
const secretAssignment = new RegExp(String.raw`(?<![\w.-])(${secretName})=(${quotedValue}|[^&\s"'<>]+)`, 'gi');
const secretMember = new RegExp(String.raw`(?<![\w.-])(["']?)(${secretName})\1(\s*:\s*)(${quotedValue})`, 'gi');
const jwkMember = /(?<![\w-])(["']?)(d|p|q|dp|dq|qi|k)\1(\s*:\s*)(["'])[A-Za-z0-9_-]{16,}\4/g;

/**
 * Removes credentials and card numbers from text: private-key PEM blocks, `Authorization`-style
 * values in any letter case, secret header lines, secret-named fields (`client_secret=…`,
 * `"refresh_token":"…"`), a JWK's private members, and PANs — contiguous or grouped with spaces
 * or dashes — with the first 6 / last 4 digits kept.
 *
 * @example
 * ```ts
 * redactText('card 5291 0700 0000 0898 failed'); // 'card 5291 07** **** 0898 failed'
 * redactText('grant_type=refresh_token&refresh_token=abc'); // 'grant_type=refresh_token&refresh_token=[REDACTED]'
 * ```
 */
export function redactText(text: string): string {
  return mayHoldSecret.test(text) ? redactEveryShape(text) : text;
}

// What every rule of redactEveryShape needs to match at all: a `:` or `=` (header lines, secret
// fields, JWK members), an auth scheme word, a PEM armour line, or four digits in a row (PANs,
// grouped or not). Most strings in a log entry (`POST`, `mtls`, a check's name) have none, and
// are returned without running the rules (a request log entry is ~30 strings).
const mayHoldSecret = /[:=]|\d{4}|oauth|bearer|dpop|basic|-----BEGIN/i;

/** Every rule of {@link redactText}, whatever the text holds (exported for its test). */
export function redactEveryShape(text: string): string {
  return maskPansInText(
    text
      .replace(pemBlock, `-----${REDACTED} PRIVATE KEY-----`)
      .replace(secretHeaderLine, (_match, name: string, colon: string) => `${name}${colon}${REDACTED}`)
      .replace(authorizationValue, (match, scheme: string, value: string) =>
        looksLikeCredential(scheme, value) ? `${scheme} ${REDACTED}` : match,
      )
      .replace(secretAssignment, (_match, name: string) => `${name}=${REDACTED}`)
      .replace(secretMember, (_match, quote: string, name: string, colon: string, value: string) => {
        const mark = value.startsWith("'") ? "'" : '"';
        return `${quote}${name}${quote}${colon}${mark}${REDACTED}${mark}`;
      })
      .replace(jwkMember, (_match, quote: string, name: string, colon: string, mark: string) => `${quote}${name}${quote}${colon}${mark}${REDACTED}${mark}`),
  );
}

// `Bearer x` as written by software is always a credential. In other letter cases the word may
// be prose ("basic authentication"): redact when what follows looks like a token (a digit or a
// token68 punctuation mark, or 16+ characters) or is an OAuth parameter list.
function looksLikeCredential(scheme: string, value: string): boolean {
  if (canonicalSchemes.has(scheme) || value.includes('="')) return true;
  return /[\d._~+/=-]/.test(value) || value.length >= 16;
}

/**
 * Returns a deep copy of `value` safe to log or put in an error: secret headers and secret-named
 * keys replaced, a JWK's private members replaced, strings passed through {@link redactText},
 * numbers that look like PANs masked, errors reduced to `{ name, message, code, …, cause }`
 * (redacted), `KeyObject`s and buffers never expanded. Cycles are cut.
 *
 * @example
 * ```ts
 * logger.info(redact({ headers: { authorization: 'OAuth …' }, body: { cardNumber: 5291070000000000 } }));
 * // { headers: { authorization: '[REDACTED]' }, body: { cardNumber: '529107******0000' } }
 * ```
 */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

/**
 * A JSON-safe, redacted view of an error: `name`, `message` (redacted; a JSON parser's quote of
 * its input removed), every own enumerable property redacted, and the `cause` chain likewise.
 * What `McapiError#toJSON` returns.
 *
 * @example
 * ```ts
 * JSON.stringify(errorToJSON(new Error('card 5291070000000000123')));
 * // '{"name":"Error","message":"card 529107*********0123"}'
 * ```
 */
export function errorToJSON(error: Error): Record<string, unknown> {
  return errorView(error, new WeakSet([error]));
}

/**
 * The message of `error`, safe to show: passed through {@link redactText}, and for a JSON
 * `SyntaxError` (whose message quotes the text it failed on, e.g. a token file) reduced to where
 * parsing failed.
 *
 * @example
 * ```ts
 * try { JSON.parse('{"refreshToken":"abc'); } catch (e) { safeErrorMessage(e as Error); } // 'Invalid JSON (input not shown)…'
 * ```
 */
export function safeErrorMessage(error: Error): string {
  const message = String(error.message);
  if (error.name === 'SyntaxError' && /JSON/.test(message)) {
    const position = /at position (\d+)/.exec(message)?.[1];
    return `Invalid JSON (input not shown)${position === undefined ? '' : ` at position ${position}`}`;
  }
  return redactText(message);
}

/** True when an object key or header name holds a secret whatever its value. */
export function isSecretKey(key: string): boolean {
  return secretHeaderNames.has(key.toLowerCase()) || secretKeyPattern.test(key);
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    return isPanLike(String(value)) ? maskPan(value) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (isKeyLike(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [k, isSecretKey(String(k)) ? REDACTED : redactValue(v, seen)]));
  }
  if (value instanceof Error) return errorView(value, seen);
  const jwk = Object.hasOwn(value, 'kty');
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] = isSecretKey(key) || (jwk && jwkPrivateMembers.has(key)) ? REDACTED : redactValue(entry, seen);
  }
  return out;
}

function errorView(error: Error, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: String(error.name), message: safeErrorMessage(error) };
  for (const [key, entry] of Object.entries(error)) {
    if (key === 'message' || key === 'stack') continue;
    out[key] = isSecretKey(key) ? REDACTED : redactValue(entry, seen);
  }
  if (error instanceof AggregateError) out.errors = redactValue(error.errors, seen);
  if ('cause' in error && error.cause !== undefined) out.cause = redactValue(error.cause, seen);
  return out;
}

function isKeyLike(value: object): boolean {
  const name = value.constructor?.name;
  return name === 'KeyObject' || name === 'PrivateKeyObject' || name === 'SecretKeyObject' || name === 'CryptoKey';
}
