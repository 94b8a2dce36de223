import type { McapiErrorCode } from './codes.js';

// A symbol from the global registry, so two copies of this package (duplicate installs) still
// recognise each other's errors: `instanceof` falls back to this brand (undici does the same).
const brand = Symbol.for('@mcapi/errors.McapiError');

/** Options of {@link McapiError}. */
export interface McapiErrorOptions {
  /** The underlying error, kept for debugging. Never put secrets in it. */
  cause?: unknown;
}

/**
 * The one base class of every error mcapi throws. `code` is stable and documented; the message
 * says what to do and never contains credentials, key material, plaintext or full PANs.
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
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
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
