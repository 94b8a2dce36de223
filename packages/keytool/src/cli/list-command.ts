import type { KeyPurpose } from '@mcapi/keys';
import { listKeys } from '../commands/list.js';
import { type CommandSpec, purposeOption, environmentOption, text, environment, short, optional } from './command-spec.js';
import { formatTable } from './table.js';

/** `mcapi-keytool list`. */
export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'the keys of the keyring as a table',
  usage: 'list [--purpose P] [--environment ENV]',
  positionals: { min: 0, max: 0, names: '' },
  options: { purpose: purposeOption, environment: { ...environmentOption, description: 'sandbox | production' } },
  examples: ['mcapi-keytool list', 'mcapi-keytool list --purpose mtls --json'],
  async run(context) {
    const keys = await listKeys({
      keyring: context.keyring,
      ...optional('purpose', text(context.values, 'purpose') as KeyPurpose | undefined),
      ...optional('environment', environment(context.values)),
    });
    if (keys.length === 0) return { json: keys, text: `No keys in ${context.keyring}. Start with: mcapi-keytool csr --help` };
    const rows = keys.map((key) => [
      key.id,
      key.purpose,
      key.environment,
      key.ready ? 'ready' : key.status,
      `${key.publicKeyFingerprint.slice(0, 16)}…`,
      key.expiresInDays === undefined ? '-' : `${key.expiresInDays}d`,
      short(key.consumerKey, 24),
    ]);
    return { json: keys, text: formatTable(['ID', 'PURPOSE', 'ENV', 'STATUS', 'FINGERPRINT', 'EXPIRES', 'CONSUMER KEY'], rows) };
  },
};
