import { readFile } from 'node:fs/promises';
import { McapiError } from '@mcapi/errors';
import { type ParsedValues, text } from './command-spec.js';

/**
 * A secret from `--<name>-file FILE` or `--<name>-env VAR` (then a default variable). Never from
 * a command-line value: argv is visible to every user through `ps` and lands in shell history.
 *
 * @throws {McapiError} `ERR_CLI_USAGE` when both are given, the file cannot be read or is empty,
 *   the variable name is not a name (most likely the secret itself), or the variable is unset.
 *
 * @example
 * ```ts
 * const passphrase = await secretFrom(values, 'passphrase', process.env, 'MCAPI_KEYRING_PASSPHRASE');
 * ```
 */
export async function secretFrom(values: ParsedValues, name: string, env: NodeJS.ProcessEnv, defaultVariable?: string): Promise<string | undefined> {
  const file = text(values, `${name}-file`);
  const variable = text(values, `${name}-env`);
  if (file !== undefined && variable !== undefined) throw new McapiError('ERR_CLI_USAGE', `Give either --${name}-file or --${name}-env, not both.`);
  if (file !== undefined) return secretFromFile(name, file);
  if (variable !== undefined) {
    // A value that cannot be a variable name is most likely the secret itself, typed where its
    // name belongs: say so without echoing it.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new McapiError(
        'ERR_CLI_USAGE',
        `--${name}-env takes the name of an environment variable (letters, digits and _), not the secret: export the secret in a variable and pass its name.`,
      );
    }
    const secret = env[variable];
    // The name is not repeated: `--passphrase-env hunter2` is a valid variable name, and the
    // most likely reason it is unset is that it is the secret itself.
    if (secret === undefined || secret === '') {
      throw new McapiError(
        'ERR_CLI_USAGE',
        `--${name}-env: the variable it names is not set or empty (the name is not repeated, in case it is the secret itself). Export the secret in a variable and pass that variable's name.`,
      );
    }
    return secret;
  }
  if (defaultVariable !== undefined && env[defaultVariable] !== undefined && env[defaultVariable] !== '') return env[defaultVariable];
  return undefined;
}

async function secretFromFile(name: string, file: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (cause) {
    throw new McapiError('ERR_CLI_USAGE', `Cannot read --${name}-file ${file} (${(cause as NodeJS.ErrnoException).code ?? 'error'}). Check the path and that this user can read the file.`, { cause });
  }
  // One trailing newline is an editor's, not part of the secret.
  const secret = content.replace(/\r?\n$/, '');
  if (secret === '') throw new McapiError('ERR_CLI_USAGE', `--${name}-file ${file} is empty: write the passphrase on its first line.`);
  return secret;
}
