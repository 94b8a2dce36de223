#!/usr/bin/env node
// `pnpm demo` from the repository root. This is a binary, not a root package.json script, on
// purpose: pnpm prints a "> mcapi@ demo …" banner on stdout before every script, which would break
// the promise that `pnpm demo --json` prints only JSON. With no script of that name, pnpm runs this
// binary directly and prints nothing of its own. The demo runs from TypeScript sources (tsx and the
// "@mcapi/source" condition), so it needs no build first.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const clientRoot = dirname(fileURLToPath(import.meta.resolve('@mcapi/client/package.json')));
const result = spawnSync(
  process.execPath,
  ['--conditions=@mcapi/source', '--import', import.meta.resolve('tsx'), join(clientRoot, 'demo', 'demo.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
