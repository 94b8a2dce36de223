import { McapiError } from '@mcapi/errors';
import { fingerprint } from '../commands/fingerprint.js';
import { type CommandSpec, p12Options, text, optional, withFilePassphrase } from './command-spec.js';

/** `mcapi-keytool fingerprint`. */
export const fingerprintCommand: CommandSpec = {
  name: 'fingerprint',
  summary: 'the fingerprint Mastercard shows (public-key SHA-256 hex by default)',
  usage: 'fingerprint FILE|ID [--type public-key|certificate] [--encoding hex|base64] [--jwk]',
  positionals: { min: 1, max: 1, names: 'FILE|ID' },
  options: {
    type: { type: 'string', value: 'T', description: 'public-key (default) | certificate' },
    encoding: { type: 'string', value: 'E', description: 'hex (default) | base64' },
    jwk: { type: 'boolean', description: 'RFC 7638 JWK thumbprint (base64url) instead' },
    alias: { type: 'string', value: 'A', description: 'PKCS#12 entry' },
    ...p12Options,
  },
  examples: ['mcapi-keytool fingerprint mastercard-encryption.pem', 'mcapi-keytool fingerprint client.pem --type certificate --encoding base64'],
  async run(context) {
    const { values } = context;
    if (values.jwk === true && values.type !== undefined) throw new McapiError('ERR_CLI_USAGE', 'Give either --jwk or --type, not both.');
    const result = await withFilePassphrase(context, (filePassphrase) =>
      fingerprint({
        keyring: context.keyring,
        target: context.positionals[0]!,
        ...optional('type', (values.jwk === true ? 'jwk' : text(values, 'type')) as 'public-key' | 'certificate' | 'jwk' | undefined),
        ...optional('encoding', text(values, 'encoding') as 'hex' | 'base64' | undefined),
        ...optional('filePassphrase', filePassphrase),
        ...optional('alias', text(values, 'alias')),
      }),
    );
    return { json: result, text: result.fingerprint };
  },
};
