import { rotateKey } from '../commands/rotate.js';
import { type CommandSpec, purposeOption, environmentOption, forceOption, text, keySize, spinnerHook, purpose, environment, optional } from './command-spec.js';

/** `mcapi-keytool rotate`. */
export const rotateCommand: CommandSpec = {
  name: 'rotate',
  summary: 'new pending key + CSR with the active key\'s subject (the active key stays active)',
  usage: 'rotate --purpose P [--environment ENV] [--key-size BITS] [--out FILE] [--force] [--pkcs11 MODULE --pin-env VAR [--token LABEL]]',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    purpose: purposeOption,
    environment: environmentOption,
    'key-size': { type: 'string', value: 'BITS', description: 'default: the active key\'s size' },
    out: { type: 'string', value: 'FILE', description: 'also write the CSR to FILE' },
    force: forceOption,
    pkcs11: { type: 'string', value: 'MODULE', description: 'the active key is in an HSM: generate the new one there through this PKCS#11 module' },
    'pin-env': { type: 'string', value: 'VAR', description: 'with --pkcs11: environment variable holding the user PIN' },
    token: { type: 'string', value: 'LABEL', description: 'with --pkcs11: token for the new key (default: the active key\'s token)' },
  },
  examples: ['mcapi-keytool rotate --purpose response-decryption --out new-decryption.csr'],
  async run(context) {
    const { values } = context;
    const module = text(values, 'pkcs11');
    const pkcs11 = module === undefined ? undefined : { module, pinEnv: text(values, 'pin-env') ?? '', ...optional('tokenLabel', text(values, 'token')) };
    const result = await rotateKey({
      keyring: context.keyring,
      purpose: purpose(values, 'rotate'),
      ...optional('environment', environment(values)),
      ...optional('keySize', keySize(values)),
      ...optional('out', text(values, 'out')),
      force: values.force === true,
      ...optional('passphrase', pkcs11 === undefined ? await context.newKeyPassphrase() : undefined),
      ...optional('pkcs11', pkcs11),
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
