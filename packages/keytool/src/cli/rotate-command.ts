import { rotateKey } from '../commands/rotate.js';
import { type CommandSpec, purposeOption, environmentOption, forceOption, text, keySize, spinnerHook, purpose, environment, optional } from './command-spec.js';

/** `mcapi-keytool rotate`. */
export const rotateCommand: CommandSpec = {
  name: 'rotate',
  summary: 'new pending key + CSR with the active key\'s subject (the active key stays active)',
  usage: 'rotate --purpose P [--environment ENV] [--key-size BITS] [--out FILE] [--force]',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    purpose: purposeOption,
    environment: environmentOption,
    'key-size': { type: 'string', value: 'BITS', description: 'default: the active key\'s size' },
    out: { type: 'string', value: 'FILE', description: 'also write the CSR to FILE' },
    force: forceOption,
  },
  examples: ['mcapi-keytool rotate --purpose response-decryption --out new-decryption.csr'],
  async run(context) {
    const { values } = context;
    const result = await rotateKey({
      keyring: context.keyring,
      purpose: purpose(values, 'rotate'),
      ...optional('environment', environment(values)),
      ...optional('keySize', keySize(values)),
      ...optional('out', text(values, 'out')),
      force: values.force === true,
      ...optional('passphrase', await context.newKeyPassphrase()),
      onKeyGeneration: spinnerHook(context),
    });
    for (const warning of result.warnings) context.warn(warning);
    const { csr: _pem, ...json } = result;
    return {
      json,
      text: [`Created pending key ${result.id} to replace ${result.replaces}`, `  subject      ${result.subject}`, `  fingerprint  ${result.publicKeyFingerprint}`, `  CSR          ${result.outFile ?? result.csrFile}`, '', `Next: ${result.nextStep}, then mcapi-keytool activate ${result.id}`].join('\n'),
    };
  },
};
