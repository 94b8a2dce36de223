// Runs a command with a hard time limit and returns its output; a non-zero exit throws with the
// output attached, so a failing step explains itself in the test report.
import { execFile } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed ? `killed after ${options.timeoutMs} ms` : `exit ${String(error.code)}`;
          reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed, ${how}:\n${stdout}\n${stderr}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
