import { McapiError, isMcapiError } from '@mcapi/errors';

/**
 * Adds the keytool command that fixes a missing keyring. `@mcapi/keys` names no command (it is
 * also used by applications that have their own way to provision keys), so the hint lives here.
 */
export function withKeyringHint(error: unknown, keyring: string): unknown {
  if (!isMcapiError(error, 'ERR_KEYRING_NOT_FOUND')) return error;
  return new McapiError('ERR_KEYRING_NOT_FOUND', `${error.message} Create one with: mcapi-keytool init --keyring ${keyring}`, { cause: error });
}
