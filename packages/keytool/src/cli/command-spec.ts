import { McapiError } from '@mcapi/errors';
import type { KeyEnvironment, KeyPurpose } from '@mcapi/keys';
import type { KeySummary } from '../keyring/key-summary.js';
import type { CommandSpec as SharedCommandSpec, OptionSpec, ParsedValues } from '@mcapi/cli-kit';
import { text } from '@mcapi/cli-kit';
import type { CliContext } from './cli-context.js';
import { startSpinner } from './spinner.js';

// What every command module of the CLI shares: the spec shape (from @mcapi/cli-kit, shared with
// mcapi), common options and small argument helpers.
export { type CommandOutput, type OptionSpec, text } from '@mcapi/cli-kit';

/** A command of `mcapi-keytool`. */
export type CommandSpec = SharedCommandSpec<CliContext>;

export const purposeOption: OptionSpec = { type: 'string', value: 'P', description: 'signing | mtls | request-encryption | response-decryption' };
export const environmentOption: OptionSpec = { type: 'string', value: 'ENV', description: 'sandbox (default) | production' };
export const p12Options: Record<string, OptionSpec> = {
  'p12-passphrase-file': { type: 'string', value: 'FILE', description: 'read the PKCS#12 (or encrypted key file) password from FILE' },
  'p12-passphrase-env': { type: 'string', value: 'VAR', description: 'read the PKCS#12 (or encrypted key file) password from variable VAR' },
};
export const forceOption: OptionSpec = { type: 'boolean', description: 'replace an existing file' };

export const required = (values: ParsedValues, name: string, command: string): string => {
  const value = text(values, name);
  if (value === undefined) throw new McapiError('ERR_CLI_USAGE', `${command} needs --${name}. See: mcapi-keytool ${command} --help`);
  return value;
};
export const keySize = (values: ParsedValues): number | undefined => {
  const value = text(values, 'key-size');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new McapiError('ERR_CLI_USAGE', '--key-size must be 2048, 3072 or 4096.');
  return Number(value);
};
export const spinnerHook = (context: CliContext) => {
  let stop: (() => void) | undefined;
  return (phase: 'start' | 'end') => {
    if (phase === 'start') stop = startSpinner(context.io.stderr, 'Generating RSA key…');
    else stop?.();
  };
};
export const purpose = (values: ParsedValues, command: string) => required(values, 'purpose', command) as KeyPurpose;
export const environment = (values: ParsedValues) => text(values, 'environment') as KeyEnvironment | undefined;

export function describeKey(key: KeySummary): string {
  const lines = [
    `${key.id}  ${key.purpose} ${key.environment}  ${key.status}${key.ready ? ' (ready to activate)' : ''}`,
    `  public key fingerprint  ${key.publicKeyFingerprint}`,
  ];
  if (key.certificateFingerprint) lines.push(`  certificate SHA-256     ${key.certificateFingerprint}`);
  if (key.subject) lines.push(`  subject                 ${key.subject}`);
  if (key.notAfter) lines.push(`  valid until             ${key.notAfter} (${key.expiresInDays} days)`);
  if (key.consumerKey) lines.push(`  consumer key            ${key.consumerKey}`);
  if (key.alias) lines.push(`  alias                   ${key.alias}`);
  lines.push(`  private key             ${key.files.privateKey ? `${key.files.privateKey}${key.privateKeyEncrypted ? ' (encrypted)' : ' (unencrypted)'}` : 'none (public certificate only)'}`);
  return lines.join('\n');
}

export const short = (value: string | undefined, length: number) =>
  value === undefined ? '-' : value.length > length ? `${value.slice(0, length - 1)}…` : value;


/** `{ [name]: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]: V });
}

// Inspect and fingerprint read the file first without a password, and ask only when it is
// encrypted, so plain certificates never trigger a prompt.
export async function withFilePassphrase<T>(context: CliContext, task: (passphrase: string | undefined) => Promise<T>): Promise<T> {
  const given = await context.givenFilePassphrase();
  try {
    return await task(given);
  } catch (error) {
    if (given !== undefined || !(error instanceof McapiError) || error.code !== 'ERR_KEY_PASSPHRASE' || !context.interactive) throw error;
    return task(await context.filePassphrase('File', false));
  }
}
