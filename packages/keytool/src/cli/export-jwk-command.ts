import { exportJwk } from '../commands/export-jwk.js';
import type { CommandSpec } from './command-spec.js';

/** `mcapi-keytool export-jwk`. */
export const exportJwkCommand: CommandSpec = {
  name: 'export-jwk',
  summary: 'the public JWK of a key (kid = public-key fingerprint)',
  usage: 'export-jwk ID',
  positionals: { min: 1, max: 1, names: 'ID' },
  options: {},
  examples: ['mcapi-keytool export-jwk rd-sandbox-20261125-3f9a1c > decryption.jwk.json'],
  async run(context) {
    const result = await exportJwk({ keyring: context.keyring, id: context.positionals[0]! });
    return { json: result, text: JSON.stringify(result.jwk, null, 2) };
  },
};
