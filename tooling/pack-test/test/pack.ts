// Packs one workspace package with pnpm (which rewrites workspace: ranges to versions, as
// `pnpm publish` does) and reads what the tarball holds. prepack is skipped: turbo built dist/
// before this test (`dependsOn: ["^build"]`), and a nested turbo build would rewrite dist/ files
// that other packages' tests are reading at the same moment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.js';
import type { WorkspacePackage } from './workspace-packages.js';

export interface PackedPackage {
  name: string;
  tarball: string;
  /** Paths inside the tarball, relative to the package root (`dist/index.js`, `README.md`, …). */
  files: Set<string>;
  /** Extracted copy of the tarball's contents. */
  extractedDir: string;
}

export async function packPackage(pkg: WorkspacePackage, destination: string): Promise<PackedPackage> {
  const stdout = await run('pnpm', ['--config.ignore-scripts=true', 'pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
    timeoutMs: 60_000,
  });
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string; files: { path: string }[] };
  const extractedDir = join(destination, `${pkg.name.replace('@', '').replace('/', '-')}-extracted`);
  await run('mkdir', ['-p', extractedDir], { cwd: destination, timeoutMs: 10_000 });
  await run('tar', ['-xzf', report.filename, '-C', extractedDir, '--strip-components=1'], { cwd: destination, timeoutMs: 30_000 });
  return { name: pkg.name, tarball: report.filename, files: new Set(report.files.map((file) => file.path)), extractedDir };
}

export function readPacked(packed: PackedPackage, path: string): string {
  return readFileSync(join(packed.extractedDir, path), 'utf8');
}
