// The mcapi binary (bin/mcapi.js imports this file from dist/).
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
