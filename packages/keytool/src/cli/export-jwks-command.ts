import { exportJwks } from '../commands/export-jwk.js';
import { type CommandSpec, purposeOption, environmentOption, purpose, environment, optional } from './command-spec.js';

/** `mcapi-keytool export-jwks`. */
export const exportJwksCommand: CommandSpec = {
  name: 'export-jwks',
  summary: 'JWK Set of the active and previous keys of a purpose',
  usage: 'export-jwks --purpose P [--environment ENV]',
  positionals: { min: 0, max: 0, names: '' },
  options: { purpose: purposeOption, environment: environmentOption },
  examples: ['mcapi-keytool export-jwks --purpose response-decryption > jwks.json'],
  async run(context) {
    const result = await exportJwks({ keyring: context.keyring, purpose: purpose(context.values, 'export-jwks'), ...optional('environment', environment(context.values)) });
    return { json: result, text: JSON.stringify(result.jwks, null, 2) };
  },
};
