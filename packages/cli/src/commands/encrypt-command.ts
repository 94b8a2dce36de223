import { createPayloadCrypto, wrapToken } from '@mcapi/client';
import { McapiError } from '@mcapi/errors';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import { type CommandContext, type CommandOutput, type CommandSpec, text } from '../cli/command-spec.js';
import { readInput } from '../cli/read-input.js';
import { keyOptions } from '../credentials/credential-options.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import { resolveEnvironment } from '../credentials/resolve-environment.js';
import { apiProfiles } from '../request/api-profile.js';
import { protectedHeader } from '../request/prepare-request.js';

export const encryptCommand: CommandSpec = {
  name: 'encrypt',
  summary: "encrypt a JSON body to Mastercard's key as the client sends it (wrapper per API, or the bare JWE)",
  usage: 'encrypt [JSON|@FILE|-] [--api bas|cross-border] [--token] [--keyring DIR | --encryption-cert FILE] [--json]',
  positionals: { min: 0, max: 1, names: 'JSON, @FILE or - (default: stdin)' },
  options: {
    api: { type: 'string', value: 'API', description: 'wrapper: bas ({"encryptedData":…}, default) | cross-border ({"encrypted_payload":{"data":…}})' },
    token: { type: 'boolean', description: 'print the bare JWE instead of the wrapped body' },
    'key-env': { type: 'string', value: 'ENV', description: 'keyring environment: sandbox (default) | production' },
    'encryption-cert': keyOptions['encryption-cert']!,
    keyring: keyOptions.keyring!,
    'passphrase-file': keyOptions['passphrase-file']!,
    'passphrase-env': keyOptions['passphrase-env']!,
  },
  examples: ["mcapi encrypt '{\"cardNumber\":5291070000000000123}'", 'mcapi encrypt @quote.json --api cross-border --encryption-cert mastercard-encryption.pem'],
  async run(context: CommandContext): Promise<CommandOutput> {
    const { values } = context;
    const api = text(values, 'api') ?? 'bas';
    if (api !== 'bas' && api !== 'cross-border') throw new McapiError('ERR_CLI_USAGE', '--api must be bas or cross-border. See: mcapi encrypt --help');
    const input = await readInput(context.positionals[0] ?? '-', context.stdin, 'JSON');
    if (input === undefined || input.trim() === '') throw new McapiError('ERR_CLI_USAGE', 'Nothing to encrypt: pass JSON, @FILE, or pipe it on stdin. See: mcapi encrypt --help');
    let plaintext: string;
    try {
      plaintext = stringifyJsonLossless(parseJsonLossless(input));
    } catch (cause) {
      throw new McapiError('ERR_CLI_USAGE', `The input is not valid JSON: ${(cause as Error).message}`, { cause });
    }
    const credentials = await resolveCredentials(values, context.env, resolveEnvironment(values).keyEnvironment);
    if (credentials.encryptionKey === undefined) {
      throw new McapiError('ERR_CLI_USAGE', "No request-encryption key: pass --encryption-cert FILE (Mastercard's certificate) or a keyring with an active request-encryption key.");
    }
    const token = await createPayloadCrypto({ encryptionKey: credentials.encryptionKey, decryptionKeys: new Map() }).encrypt(plaintext);
    const body = values.token === true ? token : wrapToken(apiProfiles[api].wrapper, token);
    return { text: body, json: { api, header: protectedHeader(token), body } };
  },
};
