import { activateKey } from '../commands/activate.js';
import { type CommandSpec, optional } from './command-spec.js';

/** `mcapi-keytool activate`. */
export const activateCommand: CommandSpec = {
  name: 'activate',
  summary: 'make a ready key active; the active key it replaces becomes previous (and keeps decrypting)',
  usage: 'activate ID [--force]',
  positionals: { min: 1, max: 1, names: 'ID' },
  options: { force: { type: 'boolean', description: 'activate even if the certificate is expired or not yet valid' } },
  examples: ['mcapi-keytool activate rd-sandbox-20261125-3f9a1c'],
  async run(context) {
    const result = await activateKey({
      keyring: context.keyring,
      id: context.positionals[0]!,
      force: context.values.force === true,
      ...optional('passphrase', await context.openingPassphrase()),
    });
    const replaced = result.replaced === undefined ? '' : `\n${result.replaced} is now previous${result.purpose === 'response-decryption' ? ' and still decrypts' : ''}; retire it once nothing uses it: mcapi-keytool retire ${result.replaced}`;
    return { json: result, text: `Activated ${result.id} (${result.purpose}, ${result.environment})${replaced}\nServices reload the keyring on restart or keyring.reload().` };
  },
};
