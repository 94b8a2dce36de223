import { createKeyRequest } from '../commands/csr.js';
import { type CommandSpec, purposeOption, environmentOption, forceOption, text, keySize, spinnerHook, purpose, environment, optional } from './command-spec.js';

/** `mcapi-keytool csr`. */
export const csrCommand: CommandSpec = {
  name: 'csr',
  summary: 'new pending key (native RSA) and a PKCS#10 CSR signed with SHA-256',
  usage: 'csr --purpose P (--cn NAME | --sandbox-cn CID) [--o ORG] [--ou UNIT] [--c XX] [--l CITY] [--st STATE] [--key-size 2048|3072|4096] [--environment ENV] [--out FILE] [--force] [--pkcs11 MODULE --token LABEL --pin-env VAR [--key-label LABEL]]',
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
    pkcs11: { type: 'string', value: 'MODULE', description: 'generate the key inside an HSM token through this PKCS#11 module (needs @mcapi/pkcs11)' },
    token: { type: 'string', value: 'LABEL', description: 'with --pkcs11: the token label' },
    'pin-env': { type: 'string', value: 'VAR', description: 'with --pkcs11: environment variable holding the user PIN' },
    'key-label': { type: 'string', value: 'LABEL', description: 'with --pkcs11: CKA_LABEL of the new key (default: the keyring id)' },
  },
  examples: [
    'mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Example Ltd" --out mtls.csr',
    'mcapi-keytool csr --purpose response-decryption --cn payments-decryption --o "Example Ltd" --environment production',
    'HSM_PIN=… mcapi-keytool csr --purpose signing --cn payments-oauth --pkcs11 /usr/safenet/lunaclient/lib/libCryptoki2_64.so --token prod-partition --pin-env HSM_PIN',
  ],
  async run(context) {
    const { values } = context;
    const subject = Object.fromEntries(
      (['cn', 'o', 'ou', 'c', 'l', 'st'] as const).flatMap((name) => (text(values, name) === undefined ? [] : [[name.toUpperCase(), text(values, name)]])),
    );
    const module = text(values, 'pkcs11');
    const pkcs11 =
      module === undefined
        ? undefined
        : {
            module,
            tokenLabel: text(values, 'token') ?? '',
            pinEnv: text(values, 'pin-env') ?? '',
            ...optional('keyLabel', text(values, 'key-label')),
          };
    const result = await createKeyRequest({
      keyring: context.keyring,
      purpose: purpose(values, 'csr'),
      ...optional('environment', environment(values)),
      subject,
      ...optional('sandboxClientId', text(values, 'sandbox-cn')),
      ...optional('keySize', keySize(values)),
      ...optional('out', text(values, 'out')),
      force: values.force === true,
      // An HSM key has no file to encrypt: no passphrase is asked for.
      ...optional('passphrase', pkcs11 === undefined ? await context.newKeyPassphrase() : undefined),
      ...optional('pkcs11', pkcs11),
      onKeyGeneration: spinnerHook(context),
    });
    const { csr: _pem, ...json } = result;
    return {
      json,
      text: [`Created pending key ${result.id} (${result.purpose}, ${result.environment})`, `  subject      ${result.subject}`, `  fingerprint  ${result.publicKeyFingerprint}`, ...(result.privateKeyRef === undefined ? [] : [`  HSM key      ${result.privateKeyRef}`]), `  CSR          ${result.outFile ?? result.csrFile}`, '', `Next: ${result.nextStep}`].join('\n'),
    };
  },
};
