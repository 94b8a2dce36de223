import { McapiError } from '@mcapi/errors';
import type { KeyEnvironment, KeyPurpose } from '@mcapi/keys';
import { activateKey } from '../commands/activate.js';
import { checkKeyring } from '../commands/check.js';
import { createKeyRequest } from '../commands/csr.js';
import { exportJwk, exportJwks } from '../commands/export-jwk.js';
import { exportPkcs12 } from '../commands/export-p12.js';
import { fingerprint } from '../commands/fingerprint.js';
import { importCertificate } from '../commands/import-cert.js';
import { importPkcs12 } from '../commands/import-p12.js';
import { initKeyringDirectory } from '../commands/init.js';
import { inspectKey } from '../commands/inspect.js';
import { listKeys } from '../commands/list.js';
import { retireKey } from '../commands/retire.js';
import { rotateKey } from '../commands/rotate.js';
import type { KeySummary } from '../keyring/key-summary.js';
import type { CliContext, ParsedValues } from './cli-context.js';
import { parseDurationDays } from './duration.js';
import { startSpinner } from './spinner.js';
import { formatTable } from './table.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; description: string; value?: string };

/** What a command run produced: the JSON object and the human text for stdout. */
export interface CommandOutput {
  json: unknown;
  text: string;
  exitCode?: number;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  positionals: { min: number; max: number; names: string };
  options: Record<string, OptionSpec>;
  examples: string[];
  run(context: CliContext): Promise<CommandOutput>;
}

const purposeOption: OptionSpec = { type: 'string', value: 'P', description: 'signing | mtls | request-encryption | response-decryption' };
const environmentOption: OptionSpec = { type: 'string', value: 'ENV', description: 'sandbox (default) | production' };
const p12Options: Record<string, OptionSpec> = {
  'p12-passphrase-file': { type: 'string', value: 'FILE', description: 'read the PKCS#12 (or encrypted key file) password from FILE' },
  'p12-passphrase-env': { type: 'string', value: 'VAR', description: 'read the PKCS#12 (or encrypted key file) password from variable VAR' },
};
const forceOption: OptionSpec = { type: 'boolean', description: 'replace an existing file' };

const text = (values: ParsedValues, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
const required = (values: ParsedValues, name: string, command: string): string => {
  const value = text(values, name);
  if (value === undefined) throw new McapiError('ERR_CLI_USAGE', `${command} needs --${name}. See: mcapi-keytool ${command} --help`);
  return value;
};
const keySize = (values: ParsedValues): number | undefined => {
  const value = text(values, 'key-size');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new McapiError('ERR_CLI_USAGE', '--key-size must be 2048, 3072 or 4096.');
  return Number(value);
};
const spinnerHook = (context: CliContext) => {
  let stop: (() => void) | undefined;
  return (phase: 'start' | 'end') => {
    if (phase === 'start') stop = startSpinner(context.io.stderr, 'Generating RSA key…');
    else stop?.();
  };
};
const purpose = (values: ParsedValues, command: string) => required(values, 'purpose', command) as KeyPurpose;
const environment = (values: ParsedValues) => text(values, 'environment') as KeyEnvironment | undefined;

function describeKey(key: KeySummary): string {
  const lines = [
    `${key.id}  ${key.purpose} ${key.environment}  ${key.status}${key.ready ? ' (ready to activate)' : ''}`,
    `  public key fingerprint  ${key.publicKeyFingerprint}`,
  ];
  if (key.certificateFingerprint) lines.push(`  certificate SHA-256     ${key.certificateFingerprint}`);
  if (key.subject) lines.push(`  subject                 ${key.subject}`);
  if (key.notAfter) lines.push(`  valid until             ${key.notAfter} (${key.expiresInDays} days)`);
  if (key.consumerKey) lines.push(`  consumer key            ${key.consumerKey}`);
  if (key.alias) lines.push(`  alias                   ${key.alias}`);
  lines.push(`  private key             ${key.files.privateKey ? `${key.files.privateKey}${key.privateKeyEncrypted ? ' (encrypted)' : ' (unencrypted)'}` : 'none (public certificate only)'}`);
  return lines.join('\n');
}

const short = (value: string | undefined, length: number) =>
  value === undefined ? '-' : value.length > length ? `${value.slice(0, length - 1)}…` : value;

export const commandSpecs: CommandSpec[] = [
  {
    name: 'init',
    summary: 'create a keyring (directory 0700, empty keyring.json)',
    usage: 'init',
    positionals: { min: 0, max: 0, names: '' },
    options: {},
    examples: ['mcapi-keytool init', 'mcapi-keytool init --keyring /etc/myservice/keyring'],
    async run(context) {
      const result = await initKeyringDirectory({ keyring: context.keyring });
      return { json: result, text: `Created keyring ${result.keyring}\nNext: mcapi-keytool csr --purpose mtls --sandbox-cn 000000 --o "Your Company"` };
    },
  },
  {
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
  },
  {
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
      return { json: result, text: `Imported the certificate into ${result.id}\n${describeKey(result)}\n\nNext: mcapi-keytool activate ${result.id}` };
    },
  },
  {
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
  },
  {
    name: 'activate',
    summary: 'make a ready key active; the active key it replaces becomes previous (and keeps decrypting)',
    usage: 'activate ID [--force]',
    positionals: { min: 1, max: 1, names: 'ID' },
    options: { force: { type: 'boolean', description: 'activate even if the certificate is expired or not yet valid' } },
    examples: ['mcapi-keytool activate rd-sandbox-20261125-3f9a1c'],
    async run(context) {
      const result = await activateKey({
        keyring: context.keyring,
        id: context.positionals[0]!,
        force: context.values.force === true,
        ...optional('passphrase', await context.openingPassphrase()),
      });
      const replaced = result.replaced === undefined ? '' : `\n${result.replaced} is now previous${result.purpose === 'response-decryption' ? ' and still decrypts' : ''}; retire it once nothing uses it: mcapi-keytool retire ${result.replaced}`;
      return { json: result, text: `Activated ${result.id} (${result.purpose}, ${result.environment})${replaced}\nServices reload the keyring on restart or keyring.reload().` };
    },
  },
  {
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
  },
  {
    name: 'retire',
    summary: 'previous (or abandoned pending) → retired; --destroy also deletes its files (never the active key)',
    usage: 'retire ID [--destroy [--yes]]',
    positionals: { min: 1, max: 1, names: 'ID' },
    options: {
      destroy: { type: 'boolean', description: 'delete the private key, CSR and certificate files and drop the entry' },
      yes: { type: 'boolean', description: 'do not ask for confirmation (needed with --non-interactive)' },
    },
    examples: ['mcapi-keytool retire rd-sandbox-20251120-77ab01', 'mcapi-keytool retire rd-sandbox-20251120-77ab01 --destroy --yes'],
    async run(context) {
      const id = context.positionals[0]!;
      const destroy = context.values.destroy === true;
      if (destroy && !(await context.confirm(`This deletes the private key of ${id} for good. Type the key id to confirm: `, id))) {
        throw new McapiError('ERR_CLI_USAGE', 'Not confirmed; nothing was changed.');
      }
      const result = await retireKey({ keyring: context.keyring, id, destroy });
      return { json: result, text: destroy ? `Retired ${id} and deleted its files.` : `Retired ${id}; it no longer decrypts. Delete its key with: mcapi-keytool retire ${id} --destroy` };
    },
  },
  {
    name: 'list',
    summary: 'the keys of the keyring as a table',
    usage: 'list [--purpose P] [--environment ENV]',
    positionals: { min: 0, max: 0, names: '' },
    options: { purpose: purposeOption, environment: { ...environmentOption, description: 'sandbox | production' } },
    examples: ['mcapi-keytool list', 'mcapi-keytool list --purpose mtls --json'],
    async run(context) {
      const keys = await listKeys({
        keyring: context.keyring,
        ...optional('purpose', text(context.values, 'purpose') as KeyPurpose | undefined),
        ...optional('environment', environment(context.values)),
      });
      if (keys.length === 0) return { json: keys, text: `No keys in ${context.keyring}. Start with: mcapi-keytool csr --help` };
      const rows = keys.map((key) => [
        key.id,
        key.purpose,
        key.environment,
        key.ready ? 'ready' : key.status,
        `${key.publicKeyFingerprint.slice(0, 16)}…`,
        key.expiresInDays === undefined ? '-' : `${key.expiresInDays}d`,
        short(key.consumerKey, 24),
      ]);
      return { json: keys, text: formatTable(['ID', 'PURPOSE', 'ENV', 'STATUS', 'FINGERPRINT', 'EXPIRES', 'CONSUMER KEY'], rows) };
    },
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
    name: 'export-jwk',
    summary: 'the public JWK of a key (kid = public-key fingerprint)',
    usage: 'export-jwk ID',
    positionals: { min: 1, max: 1, names: 'ID' },
    options: {},
    examples: ['mcapi-keytool export-jwk rd-sandbox-20261125-3f9a1c > decryption.jwk.json'],
    async run(context) {
      const result = await exportJwk({ keyring: context.keyring, id: context.positionals[0]! });
      return { json: result, text: JSON.stringify(result.jwk, null, 2) };
    },
  },
  {
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
  },
  {
    name: 'check',
    summary: 'exit 0 when no active certificate expires within the window, 1 when one does, 2 when one expired or the keyring is broken',
    usage: 'check [--expires-in 30d]',
    positionals: { min: 0, max: 0, names: '' },
    options: { 'expires-in': { type: 'string', value: 'DURATION', description: 'window: 30d (default), 2w, 12h' } },
    examples: ['mcapi-keytool check --expires-in 30d || notify-ops "rotate Mastercard keys"'],
    async run(context) {
      const window = text(context.values, 'expires-in');
      const passphrase = await context.openingPassphrase().catch(() => undefined);
      const result = await checkKeyring({
        keyring: context.keyring,
        ...optional('expiresInDays', window === undefined ? undefined : parseDurationDays(window, '--expires-in')),
        ...optional('passphrase', passphrase),
      });
      const lines = result.keys.map((key) => `${key.state.padEnd(13)} ${key.id}  ${key.purpose} ${key.environment}${key.expiresInDays === undefined ? '' : `  ${key.expiresInDays} days left`}`);
      lines.push(...result.problems.filter((problem) => !result.keys.some((key) => key.problem === problem)));
      lines.push(result.status === 'ok' ? `ok: ${result.keys.length} active key(s), none expiring` : `${result.status}: ${result.problems.length} problem(s)`);
      return { json: result, text: lines.join('\n'), exitCode: result.exitCode };
    },
  },
];

/** `{ [name]: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]: V });
}

// Inspect and fingerprint read the file first without a password, and ask only when it is
// encrypted, so plain certificates never trigger a prompt.
async function withFilePassphrase<T>(context: CliContext, task: (passphrase: string | undefined) => Promise<T>): Promise<T> {
  const given = await context.givenFilePassphrase();
  try {
    return await task(given);
  } catch (error) {
    if (given !== undefined || !(error instanceof McapiError) || error.code !== 'ERR_KEY_PASSPHRASE' || !context.interactive) throw error;
    return task(await context.filePassphrase('File', false));
  }
}
