import { exitCodes, runCli } from './cli/run-cli.js';

// Entry point of the `mcapi-sandbox` binary: run until SIGINT/SIGTERM, then close cleanly.
const result = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
if ('exitCode' in result) {
  process.exitCode = result.exitCode;
} else {
  const { sandbox } = result;
  const stop = () => {
    sandbox.close().then(
      () => process.exit(exitCodes.ok),
      (error: unknown) => {
        process.stderr.write(`mcapi-sandbox: ${(error as Error).message}\n`);
        process.exit(exitCodes.failure);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
