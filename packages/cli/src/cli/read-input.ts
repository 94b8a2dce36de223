import { readFile } from 'node:fs/promises';
import { McapiError } from '@mcapi/errors';

/**
 * The text of an argument written `VALUE`, `@FILE` or `-` (stdin), curl's convention. Undefined
 * when the argument is absent.
 */
export async function readInput(argument: string | undefined, stdin: NodeJS.ReadableStream, what: string): Promise<string | undefined> {
  if (argument === undefined) return undefined;
  if (argument === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  if (argument.startsWith('@')) {
    const file = argument.slice(1);
    try {
      return await readFile(file, 'utf8');
    } catch (cause) {
      throw new McapiError('ERR_CLI_USAGE', `Cannot read the ${what} file ${file} (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`, { cause });
    }
  }
  return argument;
}
