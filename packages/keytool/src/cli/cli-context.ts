import { type ParsedValues, secretFrom } from '@mcapi/cli-kit';
import { McapiError } from '@mcapi/errors';
import { type KeyringManifest, readKeyringManifest } from '@mcapi/keys';
import { type PromptIo, promptHidden, promptVisible } from './hidden-prompt.js';

/** Everything a command runner needs besides its arguments. */
export interface CliContext {
  values: ParsedValues;
  positionals: string[];
  keyring: string;
  json: boolean;
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  io: PromptIo;
  /** A non-fatal message for stderr (suppressed nowhere: warnings matter). */
  warn(message: string): void;
  /** Warnings about the outcome, printed only if the command succeeds. */
  readonly outcomeWarnings: string[];
  /** The keyring passphrase for opening existing keys: undefined when none are encrypted. */
  openingPassphrase(): Promise<string | undefined>;
  /** The keyring passphrase for a new key; may be undefined (unencrypted, with a warning). */
  newKeyPassphrase(): Promise<string | undefined>;
  /** A PKCS#12 / key file password (file, env or prompt); `confirm` asks twice. */
  filePassphrase(what: string, confirm: boolean): Promise<string>;
  /** The file password only if one was given by file or env (no prompt). */
  givenFilePassphrase(): Promise<string | undefined>;
  confirm(question: string, expected: string): Promise<boolean>;
}

/** Default environment variable holding the keyring passphrase. */
export const passphraseEnvDefault = 'MCAPI_KEYRING_PASSPHRASE';

export function createCliContext(init: Omit<CliContext, 'outcomeWarnings' | 'openingPassphrase' | 'newKeyPassphrase' | 'filePassphrase' | 'givenFilePassphrase' | 'confirm'>): CliContext {
  let keyringPassphrase: Promise<string | undefined> | undefined;
  const given = () => (keyringPassphrase ??= secretFrom(init.values, 'passphrase', init.env, passphraseEnvDefault));
  const manifest = (): Promise<KeyringManifest | undefined> => readKeyringManifest(init.keyring).catch(() => undefined);
  const encrypted = async () => ((await manifest())?.keys ?? []).some((key) => key.privateKeyEncrypted && key.status !== 'retired');
  const ask = async (question: string, confirm: boolean): Promise<string> => {
    const first = await promptHidden(question, init.io);
    if (confirm && first !== '') {
      const second = await promptHidden('Repeat it: ', init.io);
      if (second !== first) throw new McapiError('ERR_KEY_PASSPHRASE', 'The two entries differ; nothing was changed. Run the command again.');
    }
    return first;
  };
  const context: CliContext = {
    ...init,
    outcomeWarnings: [],
    async openingPassphrase() {
      const value = await given();
      if (value !== undefined || !(await encrypted())) return value;
      if (!init.interactive) throw needPassphrase(init.keyring);
      const answer = await ask('Keyring passphrase: ', false);
      keyringPassphrase = Promise.resolve(answer === '' ? undefined : answer);
      return keyringPassphrase;
    },
    async newKeyPassphrase() {
      const value = await given();
      if (value !== undefined) return value;
      if (await encrypted()) return context.openingPassphrase();
      if (init.interactive) {
        const answer = await ask('Passphrase to encrypt the new key at rest (Enter for none): ', true);
        if (answer !== '') {
          keyringPassphrase = Promise.resolve(answer);
          return answer;
        }
      }
      context.outcomeWarnings.push(
        'the private key is stored unencrypted (only its 0600 file mode protects it). To encrypt keys at rest, give a keyring passphrase: --passphrase-file, --passphrase-env or MCAPI_KEYRING_PASSPHRASE.',
      );
      return undefined;
    },
    async filePassphrase(what, confirm) {
      const value = await secretFrom(init.values, 'p12-passphrase', init.env);
      if (value !== undefined) return value;
      if (!init.interactive) {
        throw new McapiError('ERR_CLI_USAGE', `The ${what} password is needed: pass --p12-passphrase-file FILE or --p12-passphrase-env VAR (no prompt with --non-interactive or without a terminal).`);
      }
      const answer = await ask(`${what} password: `, confirm);
      if (answer === '') throw new McapiError('ERR_KEY_PASSPHRASE', `The ${what} password cannot be empty.`);
      return answer;
    },
    givenFilePassphrase() {
      return secretFrom(init.values, 'p12-passphrase', init.env);
    },
    async confirm(question, expected) {
      if (init.values.yes === true) return true;
      if (!init.interactive) throw new McapiError('ERR_CLI_USAGE', 'This needs confirmation: add --yes (required with --non-interactive or without a terminal).');
      return (await promptVisible(question, init.io)).trim() === expected;
    },
  };
  return context;
}

function needPassphrase(dir: string): McapiError {
  return new McapiError(
    'ERR_KEY_PASSPHRASE',
    `The keys of ${dir} are encrypted: pass --passphrase-file FILE or --passphrase-env VAR (or set MCAPI_KEYRING_PASSPHRASE).`,
  );
}
