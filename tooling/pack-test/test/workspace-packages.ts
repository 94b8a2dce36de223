// Finds the packages a stranger can install: every packages/* whose package.json is not private.
// Discovered, never listed by hand, so a new package is covered the day it lands.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkspacePackage {
  /** e.g. `@mcapi/keys` */
  name: string;
  /** Absolute directory. */
  dir: string;
  /** Directory inside the repository, e.g. `packages/keys`. */
  relativeDir: string;
  manifest: Record<string, unknown> & { name: string; scripts?: Record<string, string> };
}

export function publishedPackages(): WorkspacePackage[] {
  const packagesDir = join(repositoryRoot, 'packages');
  return readdirSync(packagesDir)
    .filter((entry) => existsSync(join(packagesDir, entry, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as WorkspacePackage['manifest'];
      return { name: manifest.name, dir, relativeDir: `packages/${entry}`, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}
