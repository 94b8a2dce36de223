import { inspect } from 'node:util';
import type { McapiErrorCode } from './codes.js';
import { redactCause } from './redact-cause.js';
import { errorToJSON, redact, redactText } from './redact.js';

// A symbol from the global registry, so two copies of this package (duplicate installs) still
// recognise each other's errors: `instanceof` falls back to this brand (undici does the same).
const brand = Symbol.for('@mcapi/errors.McapiError');

/** Options of {@link McapiError}. */
export interface McapiErrorOptions {
  /**
   * The underlying error, kept for debugging. Redacted on the way in: kept as is when it carries
   * nothing secret, otherwise replaced by a redacted copy of the same class (see `redactCause`).
   */
  cause?: unknown;
}

/**
 * The one base class of every error mcapi throws. `code` is stable and documented; the message
 * says what to do and never contains credentials, key material, plaintext or full PANs.
 *
 * Redaction is structural, so no call site can forget it: the message and the `cause` chain are
 * redacted when the error is made, and `toJSON` and `util.inspect` redact every own property a
 * subclass adds (PANs keep at most first 6 / last 4 digits; secrets become `[REDACTED]`).
 *
 * @example
 * ```ts
 * try { await loadPrivateKey({ path: 'key.p12' }, { passphrase }); }
 * catch (error) {
 *   if (error instanceof McapiError && error.code === 'ERR_KEY_PASSPHRASE') askAgain();
 * }
 * ```
 */
export class McapiError extends Error {
  readonly code: McapiErrorCode;

  constructor(code: McapiErrorCode, message: string, options: McapiErrorOptions = {}) {
    super(redactText(message), 'cause' in options ? { cause: redactCause(options.cause) } : undefined);
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * What `JSON.stringify(error)` writes: `name`, `code`, `message`, every own property and the
   * `cause` chain, all redacted.
   */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }

  // util.inspect (console.log, vitest diffs, crash output) prints own properties as they are: show
  // a twin with the same stack and cause whose own properties are redacted.
  [inspect.custom](_depth: number, options: object, nodeInspect: typeof inspect): string {
    const twin = new Error(this.message);
    Object.setPrototypeOf(twin, Object.getPrototypeOf(this));
    Object.defineProperty(twin, inspect.custom, { value: undefined });
    // inspect names the class by asking `instanceof`, which for McapiError checks the brand.
    Object.defineProperty(twin, brand, { value: true });
    Object.defineProperty(twin, 'stack', { value: this.stack, configurable: true, writable: true });
    if ('cause' in this) Object.defineProperty(twin, 'cause', { value: this.cause, configurable: true, writable: true });
    Object.assign(twin, redact({ ...this }));
    return nodeInspect(twin, options);
  }

  override get name(): string {
    return this.constructor.name;
  }

  // `this` is the class `instanceof` was asked about: the brand answers for McapiError itself,
  // the prototype chain for subclasses.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (this === McapiError) return (value as Record<symbol, unknown>)[brand] === true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * True when `value` is an {@link McapiError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isMcapiError(error, 'ERR_JWE_DECRYPTION_FAILED')) respondWith400();
 * ```
 */
export function isMcapiError(value: unknown, code?: McapiErrorCode): value is McapiError {
  return value instanceof McapiError && (code === undefined || value.code === code);
}
