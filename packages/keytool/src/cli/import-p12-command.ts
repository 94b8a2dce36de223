import { importPkcs12 } from '../commands/import-p12.js';
import { type CommandSpec, purposeOption, environmentOption, p12Options, text, purpose, environment, describeKey, optional } from './command-spec.js';

/** `mcapi-keytool import-p12`. */
export const importP12Command: CommandSpec = {
  name: 'import-p12',
  summary: 'import a key and certificate from a PKCS#12 downloaded from Mastercard (legacy RC2 too)',
  usage: 'import-p12 FILE --purpose P [--alias A] [--consumer-key KEY] [--environment ENV]',
  positionals: { min: 1, max: 1, names: 'FILE' },
  options: {
    purpose: purposeOption,
    environment: environmentOption,
    alias: { type: 'string', value: 'A', description: 'friendlyName of the key (sandbox files often use keyalias)' },
    'consumer-key': { type: 'string', value: 'KEY', description: 'OAuth 1.0a consumer key, for signing keys' },
    ...p12Options,
  },
  examples: ['MCAPI_P12=keystorepassword mcapi-keytool import-p12 sandbox.p12 --purpose signing --alias keyalias --p12-passphrase-env MCAPI_P12 --consumer-key "abc…!123"'],
  async run(context) {
    const { values } = context;
    const p12Passphrase = await context.filePassphrase('PKCS#12', false);
    const result = await importPkcs12({
      keyring: context.keyring,
      file: context.positionals[0]!,
      p12Passphrase,
      purpose: purpose(values, 'import-p12'),
      ...optional('environment', environment(values)),
      ...optional('alias', text(values, 'alias')),
      ...optional('consumerKey', text(values, 'consumer-key')),
      ...optional('passphrase', await context.newKeyPassphrase()),
    });
    return { json: result, text: `Imported ${result.id}\n${describeKey(result)}\n\nNext: mcapi-keytool activate ${result.id}` };
  },
};
