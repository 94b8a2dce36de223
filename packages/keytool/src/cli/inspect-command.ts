import { inspectKey } from '../commands/inspect.js';
import { type CommandSpec, p12Options, text, describeKey, optional, withFilePassphrase } from './command-spec.js';

/** `mcapi-keytool inspect`. */
export const inspectCommand: CommandSpec = {
  name: 'inspect',
  summary: 'public facts of a key id or a file (certificate, CSR, key, PKCS#12)',
  usage: 'inspect ID|FILE [--alias A]',
  positionals: { min: 1, max: 1, names: 'ID|FILE' },
  options: { alias: { type: 'string', value: 'A', description: 'PKCS#12 entry to show' }, ...p12Options },
  examples: ['mcapi-keytool inspect mtls-sandbox-20261125-3f9a1c', 'mcapi-keytool inspect ./downloaded.pem --json'],
  async run(context) {
    const result = await withFilePassphrase(context, (filePassphrase) =>
      inspectKey({
        keyring: context.keyring,
        target: context.positionals[0]!,
        ...optional('filePassphrase', filePassphrase),
        ...optional('alias', text(context.values, 'alias')),
      }),
    );
    const lines = [`${result.file ?? result.id}: ${result.kind}${result.id !== null && result.file ? ` (keyring key ${result.id})` : ''}`];
    if (result.entry) lines.push(describeKey(result.entry));
    lines.push(`  key                     ${result.key.type}${result.key.size ? ` ${result.key.size} bits` : ''}${result.key.curve ? ` ${result.key.curve}` : ''}`);
    lines.push(`  public key SHA-256      ${result.key.publicKeyFingerprint}`, `  JWK thumbprint          ${result.key.jwkThumbprint}`);
    if (result.csr) lines.push(`  CSR subject             ${result.csr.subject}`, `  CSR signature           ${result.csr.signatureAlgorithm} (${result.csr.verified ? 'verified' : 'DOES NOT VERIFY'})`);
    for (const [index, certificate] of [result.certificate, ...result.chain].entries()) {
      if (certificate === undefined) continue;
      lines.push(
        `  ${index === 0 ? 'certificate' : `chain[${index - 1}]   `}             ${certificate.subject}`,
        `    issuer                ${certificate.issuer}`,
        `    valid                 ${certificate.notBefore} → ${certificate.notAfter}`,
        `    SHA-256               ${certificate.fingerprint}`,
      );
    }
    return { json: result, text: lines.join('\n') };
  },
};
