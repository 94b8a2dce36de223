import { createKeyRequest } from '../commands/csr.js';
import { type CommandSpec, purposeOption, environmentOption, forceOption, text, keySize, spinnerHook, purpose, environment, optional } from './command-spec.js';

/** `mcapi-keytool csr`. */
export const csrCommand: CommandSpec = {
  name: 'csr',
  summary: 'new pending key (native RSA) and a PKCS#10 CSR signed with SHA-256',
  usage: 'csr --purpose P (--cn NAME | --sandbox-cn CID) [--o ORG] [--ou UNIT] [--c XX] [--l CITY] [--st STATE] [--key-size 2048|3072|4096] [--environment ENV] [--out FILE] [--force]',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    purpose: purposeOption,
    environment: environmentOption,
    cn: { type: 'string', value: 'NAME', description: 'subject common name (≤ 64 characters)' },
    'sandbox-cn': { type: 'string', value: 'CID', description: 'sandbox mTLS: CN <epoch>-Client-MTF-<CID> (CID 000000 if you have none)' },
    o: { type: 'string', value: 'ORG', description: 'subject organisation (your company name)' },
    ou: { type: 'string', value: 'UNIT', description: 'subject organisational unit' },
    c: { type: 'string', value: 'XX', description: 'subject country, two letters' },
    l: { type: 'string', value: 'CITY', description: 'subject locality' },
    st: { type: 'string', value: 'STATE', description: 'subject state or province' },
    'key-size': { type: 'string', value: 'BITS', description: '2048 (default), 3072 or 4096' },
    out: { type: 'string', value: 'FILE', description: 'also write the CSR to FILE' },
    force: forceOption,
  },
  examples: [
    'mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Example Ltd" --out mtls.csr',
    'mcapi-keytool csr --purpose response-decryption --cn payments-decryption --o "Example Ltd" --environment production',
  ],
  async run(context) {
    const { values } = context;
    const subject = Object.fromEntries(
      (['cn', 'o', 'ou', 'c', 'l', 'st'] as const).flatMap((name) => (text(values, name) === undefined ? [] : [[name.toUpperCase(), text(values, name)]])),
    );
    const result = await createKeyRequest({
      keyring: context.keyring,
      purpose: purpose(values, 'csr'),
      ...optional('environment', environment(values)),
      subject,
      ...optional('sandboxClientId', text(values, 'sandbox-cn')),
      ...optional('keySize', keySize(values)),
      ...optional('out', text(values, 'out')),
      force: values.force === true,
      ...optional('passphrase', await context.newKeyPassphrase()),
      onKeyGeneration: spinnerHook(context),
    });
    const { csr: _pem, ...json } = result;
    return {
      json,
      text: [`Created pending key ${result.id} (${result.purpose}, ${result.environment})`, `  subject      ${result.subject}`, `  fingerprint  ${result.publicKeyFingerprint}`, `  CSR          ${result.outFile ?? result.csrFile}`, '', `Next: ${result.nextStep}`].join('\n'),
    };
  },
};
