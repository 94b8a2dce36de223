import { readFile } from 'node:fs/promises';
import { McapiError } from '@mcapi/errors';
import { type ParsedValues, text } from './command-spec.js';

/**
 * A secret from `--<name>-file FILE` or `--<name>-env VAR` (then a default variable). Never from a
 * command-line value: argv is visible to every user through `ps` and lands in shell history.
 * Same rules and messages as mcapi-keytool.
 */
export async function secretFrom(values: ParsedValues, name: string, env: NodeJS.ProcessEnv, defaultVariable?: string): Promise<string | undefined> {
  const file = text(values, `${name}-file`);
  const variable = text(values, `${name}-env`);
  if (file !== undefined && variable !== undefined) throw new McapiError('ERR_CLI_USAGE', `Give either --${name}-file or --${name}-env, not both.`);
  if (file !== undefined) {
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
  if (variable !== undefined) {
    // A value that cannot be a variable name is most likely the secret itself: say so without echoing it.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new McapiError('ERR_CLI_USAGE', `--${name}-env takes the name of an environment variable (letters, digits and _), not the secret: export the secret in a variable and pass its name.`);
    }
    const secret = env[variable];
    if (secret === undefined || secret === '') throw new McapiError('ERR_CLI_USAGE', `--${name}-env: the variable ${variable} is not set or empty.`);
    return secret;
  }
  if (defaultVariable !== undefined && env[defaultVariable] !== undefined && env[defaultVariable] !== '') return env[defaultVariable];
  return undefined;
}
