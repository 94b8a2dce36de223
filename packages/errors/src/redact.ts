// What must never reach a message or a log line. Each rule is narrow on purpose: redaction that
// eats ordinary text makes logs useless, so we match shapes, not words.

const REDACTED = '[REDACTED]';

// Header names whose values are credentials in any scheme (OAuth 1.0a, Bearer, DPoP, Basic).
const secretHeaderNames = new Set([
  'authorization',
  'proxy-authorization',
  'dpop',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

// Object keys whose values are secrets whatever they hold.
const secretKeyPattern = /pass(word|phrase)?|secret|private.?key|client.?assertion|refresh.?token|access.?token|^key$/i;

const pemBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Either an OAuth 1.0a parameter list (k="v", …) or a single token (Bearer, DPoP, Basic).
const authorizationValue =
  /\b(OAuth|Bearer|DPoP|Basic)\s+(?:[A-Za-z0-9_]+="[^"]*"(?:\s*,\s*[A-Za-z0-9_]+="[^"]*")*|[^\s"',]+)/g;
// 15 to 19 consecutive digits, not inside a longer digit run: card numbers (PANs). 13 and 14
// digit runs are left alone because millisecond timestamps have 13 digits.
const panLike = /(?<!\d)\d{15,19}(?!\d)/g;

/**
 * Masks a primary account number, keeping the first 6 and last 4 digits (PCI DSS 3.4).
 *
 * @example
 * ```ts
 * maskPan('5291070000000000'); // '529107******0000'
 * ```
 */
export function maskPan(pan: string | number | bigint): string {
  const digits = String(pan);
  if (!/^\d{13,19}$/.test(digits)) return REDACTED;
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/**
 * Removes credentials and card numbers from text: private-key PEM blocks, `Authorization`-style
 * values and PANs (first 6 / last 4 kept).
 *
 * @example
 * ```ts
 * redactText('card 5291070000000000 failed'); // 'card 529107******0000 failed'
 * ```
 */
export function redactText(text: string): string {
  return text
    .replace(pemBlock, `-----${REDACTED} PRIVATE KEY-----`)
    .replace(authorizationValue, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(panLike, (match) => maskPan(match));
}

/**
 * Returns a deep copy of `value` safe to log or put in an error: secret headers and secret-named
 * keys replaced, strings passed through {@link redactText}, numbers that look like PANs masked,
 * `KeyObject`s and buffers never expanded. Cycles are cut.
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

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    return /^\d{15,19}$/.test(String(value)) ? maskPan(value) : value;
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
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(entry, seen);
  }
  return out;
}

function isSecretKey(key: string): boolean {
  return secretHeaderNames.has(key.toLowerCase()) || secretKeyPattern.test(key);
}

function isKeyLike(value: object): boolean {
  const name = value.constructor?.name;
  return name === 'KeyObject' || name === 'PrivateKeyObject' || name === 'SecretKeyObject' || name === 'CryptoKey';
}
