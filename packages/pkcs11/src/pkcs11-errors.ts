import { McapiError } from '@mcapi/errors';
import pkcs11js from 'pkcs11js';

const pinCodes = new Set([pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_PIN_INVALID, pkcs11js.CKR_PIN_LEN_RANGE, pkcs11js.CKR_PIN_LOCKED, pkcs11js.CKR_PIN_EXPIRED]);
// What a token that went away mid-operation answers (SoftHSM: the object handle dies with it).
export const goneCodes = new Set([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_OBJECT_HANDLE_INVALID,
  pkcs11js.CKR_KEY_HANDLE_INVALID,
  pkcs11js.CKR_DEVICE_ERROR,
]);

/** The PKCS#11 return value of a binding error, or undefined for anything else. */
export function returnValueOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof pkcs11js.Pkcs11Error && typeof code === 'number' ? code : undefined;
}

/** The CKR_ name of a binding error (its message starts with it), never anything else it carries. */
export function returnValueName(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return /^CKR_[A-Z0-9_]+/.exec(message)?.[0] ?? 'an unknown PKCS#11 error';
}

/** A login failure as a typed error that names no PIN. */
export function loginError(error: unknown, token: string): McapiError {
  const code = returnValueOf(error);
  if (code !== undefined && pinCodes.has(code)) {
    return new McapiError(
      'ERR_PKCS11_PIN',
      `The token ${token} refused the user PIN (${returnValueName(error)}); check the PIN (too many wrong attempts lock it).`,
    );
  }
  return operationError(error, `Logging in to the token ${token}`);
}

/**
 * A failed operation as a typed error: the binding's own error is not kept as the cause, since its
 * native stack may hold call arguments; only the CKR_ name travels.
 */
export function operationError(error: unknown, what: string): McapiError {
  if (error instanceof McapiError) return error;
  const code = returnValueOf(error);
  if (code !== undefined && goneCodes.has(code)) {
    return new McapiError(
      'ERR_PKCS11_TOKEN_NOT_PRESENT',
      `${what} failed: the token or the key is gone (${returnValueName(error)}); reinsert or restore the token, then open the provider again.`,
    );
  }
  return new McapiError('ERR_PKCS11_OPERATION', `${what} failed with ${returnValueName(error)}.`);
}
