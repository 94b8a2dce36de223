import { exportPkcs12 } from '../commands/export-p12.js';
import { type CommandSpec, p12Options, forceOption, text, required, optional } from './command-spec.js';

/** `mcapi-keytool export-p12`. */
export const exportP12Command: CommandSpec = {
  name: 'export-p12',
  summary: 'PKCS#12 with the key in a shrouded bag named by the alias (AES-256; 3DES with --legacy); always password-protected',
  usage: 'export-p12 ID --out FILE [--alias A] [--legacy] [--force]',
  positionals: { min: 1, max: 1, names: 'ID' },
  options: {
    out: { type: 'string', value: 'FILE', description: 'output file (written 0600)' },
    alias: { type: 'string', value: 'A', description: 'friendlyName (default: the key\'s alias, else its id)' },
    legacy: { type: 'boolean', description: '3DES key bag for old consumers (OpenSSL 1.0, old Java)' },
    force: forceOption,
    ...p12Options,
  },
  examples: ['mcapi-keytool export-p12 sig-sandbox-20261125-3f9a1c --out signing.p12 --alias keyalias --p12-passphrase-file p12.pass'],
  async run(context) {
    const { values } = context;
    const out = required(values, 'out', 'export-p12');
    const passphrase = await context.openingPassphrase();
    const p12Passphrase = await context.filePassphrase('New PKCS#12', true);
    const result = await exportPkcs12({
      keyring: context.keyring,
      id: context.positionals[0]!,
      out,
      p12Passphrase,
      ...optional('alias', text(values, 'alias')),
      legacy: values.legacy === true,
      force: values.force === true,
      ...optional('passphrase', passphrase),
    });
    return { json: result, text: `Wrote ${result.file} (alias "${result.alias}", ${result.encryption})` };
  },
};
