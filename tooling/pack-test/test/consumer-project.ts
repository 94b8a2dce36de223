// A fresh npm project outside the workspace, as a stranger has it: the tarballs as file:
// dependencies (overrides pin every @mcapi name to its tarball, so npm never asks the registry
// for one), third-party dependencies and @types/node from the npm registry through a local cache.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackedPackage } from './pack.js';
import { run } from './run.js';
import { repositoryRoot } from './workspace-packages.js';

// Kept between runs (under node_modules, never committed) so a second run installs offline.
const npmCache = join(repositoryRoot, 'node_modules', '.cache', 'mcapi-pack-test-npm');

/** The environment without what pnpm and vitest inject for their own children. */
export function strangerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|VITEST|NODE_OPTIONS$|TURBO_)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

export async function installConsumer(dir: string, packed: PackedPackage[]): Promise<void> {
  const dependencies = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  const overrides = Object.fromEntries(packed.map((pkg) => [pkg.name, `$${pkg.name}`]));
  const manifest = {
    name: 'mcapi-consumer',
    private: true,
    type: 'module',
    dependencies,
    devDependencies: { '@types/node': '^20.19.0' },
    overrides,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(
    'npm',
    [
      'install',
      '--cache',
      npmCache,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--fetch-timeout=30000',
      '--fetch-retries=1',
    ],
    { cwd: dir, timeoutMs: 120_000, env: strangerEnv() },
  );
}
