import { McapiError } from '@mcapi/errors';
import { type KeyEnvironment, type KeyPurpose, keyEnvironments, keyPurposes } from '@mcapi/keys';

/** Options every keyring command takes. */
export interface KeyringOptions {
  /** The keyring directory (see `keyringLocation` of `@mcapi/cli-kit`). */
  keyring: string;
  /**
   * Passphrase the keyring's private keys are (or will be) encrypted with. Never logged. Without
   * it, new keys are stored unencrypted.
   */
  passphrase?: string;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Checks the common options; `command` names the caller in messages. */
export function validateKeyringOptions(options: KeyringOptions, command: string): void {
  if (typeof options !== 'object' || options === null || typeof options.keyring !== 'string' || options.keyring === '') {
    throw new McapiError('ERR_INVALID_OPTION', `${command}: options.keyring must be the keyring directory.`);
  }
  if (options.passphrase !== undefined && (typeof options.passphrase !== 'string' || options.passphrase === '')) {
    throw new McapiError('ERR_INVALID_OPTION', `${command}: options.passphrase must be a non-empty string when given.`);
  }
}

/** Checks a purpose value. */
export function validatePurpose(purpose: unknown, option = 'purpose'): KeyPurpose {
  if (!keyPurposes.includes(purpose as KeyPurpose)) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be one of ${keyPurposes.join(', ')} (got ${JSON.stringify(purpose)}).`);
  }
  return purpose as KeyPurpose;
}

/** Checks an environment value; default sandbox. */
export function validateEnvironment(environment: unknown, option = 'environment'): KeyEnvironment {
  if (environment === undefined) return 'sandbox';
  if (!keyEnvironments.includes(environment as KeyEnvironment)) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be one of ${keyEnvironments.join(', ')} (got ${JSON.stringify(environment)}).`);
  }
  return environment as KeyEnvironment;
}

/** The time now, from the injected clock. */
export const nowOf = (options: KeyringOptions): Date => new Date((options.now ?? Date.now)());
