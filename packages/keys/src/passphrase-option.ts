import { McapiError } from '@mcapi/errors';
import { readEnvironmentPassphrase } from './environment-source.js';

/**
 * Options with `passphraseEnv` resolved into `passphrase`, read at the moment of use (so a rotated
 * secret in the environment is picked up by the next load). Both at once is refused: which one
 * wins would be a guess.
 */
export function withEnvironmentPassphrase<T extends { passphrase?: string; passphraseEnv?: string }>(options: T): T {
  if (options.passphraseEnv === undefined) return options;
  if (options.passphrase !== undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'Give passphrase or passphraseEnv, not both.');
  }
  return { ...options, passphrase: readEnvironmentPassphrase(options.passphraseEnv, 'passphrase') };
}
