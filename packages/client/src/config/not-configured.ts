import { McapiError } from '@mcapi/errors';

/**
 * The error of a call that the client cannot make: `missing` says what to give. The same text at
 * construction (a group without credentials) and later (a keyring reload left no active key of a
 * purpose the group needs), so a user sees one message for one problem.
 *
 * @example
 * ```ts
 * throw notConfigured('benefitAllocation', 'mtls (or a keyring with an active mtls key)');
 * ```
 */
export function notConfigured(api: string, missing: string): McapiError {
  return new McapiError('ERR_INVALID_OPTION', `client.${api} is not configured: ${missing}.`);
}
