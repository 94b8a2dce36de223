#!/usr/bin/env node
// `pnpm demo` from the repository root. This is a binary, not a root package.json script, on
// purpose: pnpm prints a "> mcapi@ demo …" banner on stdout before every script, which would break
// the promise that `pnpm demo --json` prints only JSON. With no script of that name, pnpm runs this
// binary directly and prints nothing of its own. The demo runs from TypeScript sources (tsx and the
// "@mcapi/source" condition), so it needs no build first.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const clientRoot = dirname(fileURLToPath(import.meta.resolve('@mcapi/client/package.json')));
const child = spawn(
  process.execPath,
  ['--conditions=@mcapi/source', '--import', import.meta.resolve('tsx'), join(clientRoot, 'demo', 'demo.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Ctrl-C reaches the demo directly (same process group); a signal sent to this wrapper alone
// (`kill PID`) is passed on, so the demo removes its temporary keys before it exits.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
