import type { KeyPurpose } from '@mcapi/keys';
import { importCertificate } from '../commands/import-cert.js';
import { type CommandSpec, purposeOption, environmentOption, text, environment, describeKey, optional } from './command-spec.js';

/** `mcapi-keytool import-cert`. */
export const importCertCommand: CommandSpec = {
  name: 'import-cert',
  summary: 'attach a certificate from Mastercard to its pending key, or store Mastercard\'s encryption certificate',
  usage: 'import-cert FILE [--consumer-key KEY] [--force] | import-cert FILE --purpose request-encryption [--environment ENV]',
  positionals: { min: 1, max: 1, names: 'FILE' },
  options: {
    'consumer-key': { type: 'string', value: 'KEY', description: 'OAuth 1.0a consumer key shown with a signing key' },
    purpose: { ...purposeOption, description: 'request-encryption: store Mastercard\'s public encryption certificate' },
    environment: environmentOption,
    force: { type: 'boolean', description: 'replace the certificate a pending key already has' },
  },
  examples: ['mcapi-keytool import-cert signed-mtls.pem', 'mcapi-keytool import-cert signing.crt --consumer-key "abc…!123"', 'mcapi-keytool import-cert mastercard-encryption.pem --purpose request-encryption'],
  async run(context) {
    const { values } = context;
    const result = await importCertificate({
      keyring: context.keyring,
      file: context.positionals[0]!,
      ...optional('purpose', text(values, 'purpose') as KeyPurpose | undefined),
      ...optional('environment', environment(values)),
      ...optional('consumerKey', text(values, 'consumer-key')),
      force: values.force === true,
    });
    for (const warning of result.warnings) context.warn(warning);
    // The next step in both outputs: a script reading --json must not stop at an imported but
    // inactive key (a client would then have no request-encryption certificate to use).
    const next = `mcapi-keytool activate ${result.id}`;
    return { json: { ...result, next }, text: `Imported the certificate into ${result.id}\n${describeKey(result)}\n\nNext: ${next}` };
  },
};
