import { McapiError } from '@mcapi/errors';
import { retireKey } from '../commands/retire.js';
import type { CommandSpec } from './command-spec.js';

/** `mcapi-keytool retire`. */
export const retireCommand: CommandSpec = {
  name: 'retire',
  summary: 'previous (or abandoned pending) → retired; --destroy also deletes its files (never the active key)',
  usage: 'retire ID [--destroy [--yes]]',
  positionals: { min: 1, max: 1, names: 'ID' },
  options: {
    destroy: { type: 'boolean', description: 'delete the private key, CSR and certificate files and drop the entry' },
    yes: { type: 'boolean', description: 'do not ask for confirmation (needed with --non-interactive)' },
  },
  examples: ['mcapi-keytool retire rd-sandbox-20251120-77ab01', 'mcapi-keytool retire rd-sandbox-20251120-77ab01 --destroy --yes'],
  async run(context) {
    const id = context.positionals[0]!;
    const destroy = context.values.destroy === true;
    if (destroy && !(await context.confirm(`This deletes the private key of ${id} for good. Type the key id to confirm: `, id))) {
      throw new McapiError('ERR_CLI_USAGE', 'Not confirmed; nothing was changed.');
    }
    const result = await retireKey({ keyring: context.keyring, id, destroy });
    return { json: result, text: destroy ? `Retired ${id} and deleted its files.` : `Retired ${id}; it no longer decrypts. Delete its key with: mcapi-keytool retire ${id} --destroy` };
  },
};
