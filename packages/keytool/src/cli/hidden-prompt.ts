import { McapiError } from '@mcapi/errors';

/** Streams a prompt reads from and writes to (injectable for tests). */
export interface PromptIo {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Asks for a line on the terminal without echoing it (passwords). The prompt goes to stderr so
 * stdout stays clean for `--json`. Ctrl-C aborts with exit code 130.
 */
export function promptHidden(question: string, io: PromptIo): Promise<string> {
  return promptLine(question, io, true);
}

/** Asks for a visible line on the terminal (confirmations). */
export function promptVisible(question: string, io: PromptIo): Promise<string> {
  return promptLine(question, io, false);
}

function promptLine(question: string, { stdin, stderr }: PromptIo, hidden: boolean): Promise<string> {
  if (!stdin.isTTY) {
    return Promise.reject(new McapiError('ERR_CLI_USAGE', 'No terminal to ask on: pass --passphrase-file / --passphrase-env (or --yes) instead.'));
  }
  stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') {
          return finish(Object.assign(new McapiError('ERR_ABORTED', 'Cancelled at the prompt.'), { exitCode: 130 }));
        }
        if (char === '\u007f' || char === '\b') {
          if (answer.length > 0) {
            answer = [...answer].slice(0, -1).join('');
            if (!hidden) stderr.write('\b \b');
          }
          continue;
        }
        answer += char;
        if (!hidden) stderr.write(char);
      }
    };
    stdin.on('data', onData);
  });
}
