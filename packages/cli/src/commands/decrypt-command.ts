import type { KeyObject } from 'node:crypto';
import { unwrapToken, crossBorderWrapper, encryptedDataWrapper } from '@mcapi/client';
import { secretFrom } from '@mcapi/cli-kit';
import { McapiError } from '@mcapi/errors';
import { type DecryptionKey, decrypt } from '@mcapi/jwe';
import { loadPrivateKey } from '@mcapi/keys';
import { type CommandContext, type CommandOutput, type CommandSpec, text } from '../cli/command-spec.js';
import { readInput } from '../cli/read-input.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import { keyOptions } from '../credentials/credential-options.js';
import { resolveEnvironment } from '../credentials/resolve-environment.js';
import { bodyValue, showBody } from '../output/show-body.js';

export const decryptCommand: CommandSpec = {
  name: 'decrypt',
  summary: 'decrypt a JWE or a whole {"encrypted_payload":{"data":…}} / {"encryptedData":…} body',
  usage: 'decrypt [TOKEN|@FILE|-] [--keyring DIR | --key FILE] [--show-pan] [--json]',
  positionals: { min: 0, max: 1, names: 'TOKEN, @FILE or - (default: stdin)' },
  options: {
    key: { type: 'string', value: 'FILE', description: 'response-decryption private key (PEM, DER, PKCS#12) instead of the keyring' },
    'show-pan': { type: 'boolean', description: 'show card numbers in full' },
    'key-env': { type: 'string', value: 'ENV', description: 'keyring environment: sandbox (default) | production' },
    keyring: keyOptions.keyring!,
    'passphrase-file': keyOptions['passphrase-file']!,
    'passphrase-env': keyOptions['passphrase-env']!,
    'key-passphrase-file': keyOptions['key-passphrase-file']!,
    'key-passphrase-env': keyOptions['key-passphrase-env']!,
  },
  examples: ['mcapi decrypt @response.json', 'pbpaste | mcapi decrypt - --key response-key.pem --json'],
  async run(context: CommandContext): Promise<CommandOutput> {
    const { values } = context;
    const input = (await readInput(context.positionals[0] ?? '-', context.stdin, 'token'))?.trim() ?? '';
    if (input === '') throw new McapiError('ERR_CLI_USAGE', 'Nothing to decrypt: pass a JWE, @FILE, or pipe it on stdin. See: mcapi decrypt --help');
    const token = input.startsWith('{') ? (unwrapToken(crossBorderWrapper, input) ?? unwrapToken(encryptedDataWrapper, input)) : input;
    if (token === undefined) {
      throw new McapiError('ERR_CLI_USAGE', 'The JSON holds no encrypted payload: expected {"encrypted_payload":{"data":"<jwe>"}} or {"encryptedData":"<jwe>"}.');
    }
    let keys: KeyObject | ReadonlyMap<string, DecryptionKey>;
    const keyFile = text(values, 'key');
    if (keyFile !== undefined) {
      const passphrase = await secretFrom(values, 'key-passphrase', context.env);
      keys = await loadPrivateKey({ path: keyFile }, passphrase === undefined ? {} : { passphrase });
    } else {
      const credentials = await resolveCredentials(values, context.env, resolveEnvironment(values).keyEnvironment);
      if (!credentials.keyring) throw new McapiError('ERR_CLI_USAGE', 'No keys: pass --key FILE or --keyring DIR (or run where ./.mcapi/keyring exists).');
      keys = credentials.decryptionKeys;
    }
    // @mcapi/jwe fails every way with one uniform error (no oracle); it is passed on unchanged.
    const { plaintext, header } = await decrypt(token, { keys });
    const body = new TextDecoder().decode(plaintext);
    const showPan = values['show-pan'] === true;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    if (kid !== undefined) context.stderr.write(`decrypted with kid ${kid}\n`);
    return { text: showBody(body, showPan), json: { ...(kid === undefined ? {} : { kid }), header, body: bodyValue(body, showPan) } };
  },
};
