import { initKeyringDirectory } from '../commands/init.js';
import type { CommandSpec } from './command-spec.js';

/** `mcapi-keytool init`. */
export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'create a keyring (directory 0700, empty keyring.json)',
  usage: 'init',
  positionals: { min: 0, max: 0, names: '' },
  options: {},
  examples: ['mcapi-keytool init', 'mcapi-keytool init --keyring /etc/myservice/keyring'],
  async run(context) {
    const result = await initKeyringDirectory({ keyring: context.keyring });
    return { json: result, text: `Created keyring ${result.keyring}\nNext: mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Your Company"` };
  },
};
