// What a stranger gets from `npm install @mcapi/<name>`: every published package is packed,
// installed from its tarball into a fresh npm project, then imported (ESM), required (CommonJS),
// type-checked strictly (skipLibCheck: false) under nodenext and bundler resolution, and its
// README's example is run against the sandbox.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { serviceAvailable } from '@mcapi/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installConsumer, strangerEnv } from './consumer-project.js';
import { type PackedPackage, packPackage, readPacked } from './pack.js';
import { exampleMarker, importedPackages, installedNames, linkPath, localLinks, runnableExamples } from './readme.js';
import { run } from './run.js';
import { serviceRequirement } from './services.js';
import { publishedPackages, repositoryRoot } from './workspace-packages.js';

const packages = publishedPackages();
const names = packages.map((pkg) => pkg.name);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let work: string;
let consumer: string;
let packed: PackedPackage[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcapi-pack-test-'));
  consumer = join(work, 'consumer');
  await run('mkdir', ['-p', consumer], { cwd: work, timeoutMs: 10_000 });
  packed = [];
  for (const pkg of packages) packed.push(await packPackage(pkg, work));
  await installConsumer(consumer, packed);
  // One ESM file importing every package (checked under nodenext and bundler resolution).
  const imports = names.map((name, index) => `import * as p${index} from '${name}';`).join('\n');
  writeFileSync(join(consumer, 'index.ts'), `${imports}\nexport const all: object[] = [${names.map((_, i) => `p${i}`).join(', ')}];\n`);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packaging of every published package', () => {
  it('discovers the published packages and builds them before this test runs', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
    // turbo orders this test after the build of its dependencies; a package missing here would
    // be packed from a dist/ that may not exist yet.
    const own = JSON.parse(readFileSync(join(repositoryRoot, 'tooling/pack-test/package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const missing = names.filter((name) => own.devDependencies[name] === undefined);
    expect(missing, `add ${missing.map((name) => `"${name}": "workspace:*"`).join(', ')} to tooling/pack-test devDependencies`).toEqual([]);
  });

  it('every package.json carries what npm shows a stranger, and prepack builds', () => {
    for (const { name, manifest, relativeDir } of packages) {
      const problems: string[] = [];
      const repository = manifest.repository as { url?: string; directory?: string } | undefined;
      if (typeof manifest.description !== 'string' || manifest.description === '') problems.push('description');
      if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('keywords');
      if (typeof manifest.homepage !== 'string' || !manifest.homepage.startsWith('https://')) problems.push('homepage');
      if (typeof (manifest.bugs as { url?: string } | undefined)?.url !== 'string') problems.push('bugs.url');
      if (typeof repository?.url !== 'string' || repository.directory !== relativeDir) problems.push(`repository with directory "${relativeDir}"`);
      if (manifest.license !== 'MIT') problems.push('license MIT');
      if (!/\bbuild\b/.test(manifest.scripts?.prepack ?? '')) problems.push('a prepack script that builds');
      if ((manifest.engines as { node?: string } | undefined)?.node !== '>=20.19') problems.push('engines.node >=20.19');
      expect(problems, `${name} package.json lacks`).toEqual([]);
    }
  });

  it('every tarball holds LICENSE, README, dist with types, and every source map resolves inside it', () => {
    for (const pkg of packed) {
      for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
        expect(pkg.files.has(file), `${pkg.name} tarball lacks ${file}`).toBe(true);
      }
      expect(readPacked(pkg, 'LICENSE')).toMatch(/^MIT License/);
      for (const map of [...pkg.files].filter((file) => file.endsWith('.map'))) {
        const { sources, sourceRoot = '' } = JSON.parse(readPacked(pkg, map)) as { sources: string[]; sourceRoot?: string };
        for (const source of sources) {
          const resolved = posix.normalize(posix.join(posix.dirname(map), sourceRoot, source));
          // A map left in a local dist/ by a build of a source file deleted since (tsc never removes
          // outputs) is a stale leftover of this checkout, not of a fresh clone: warn, do not fail.
          if (!existsSync(join(packages.find((p) => p.name === pkg.name)!.dir, resolved))) {
            console.warn(`${pkg.name}: stale ${map} (its source is gone); rm -rf dist and rebuild before publishing`);
            continue;
          }
          expect(pkg.files.has(resolved), `${pkg.name}: ${map} points at ${resolved}, not in the tarball`).toBe(true);
        }
      }
    }
  });

  it('every README is written for npm users: install line, Node 20.19, ESM and require(), links inside the tarball', () => {
    for (const pkg of packed) {
      const readme = readPacked(pkg, 'README.md');
      expect(installedNames(readme).has(pkg.name), `${pkg.name} README has no "npm install ${pkg.name}" line`).toBe(true);
      expect(readme, `${pkg.name} README must state the Node floor`).toMatch(/Node(\.js)? (≥ ?|>= ?)?20\.19/);
      expect(readme, `${pkg.name} README must say it is ESM-only and how CommonJS loads it`).toMatch(/ESM/);
      expect(readme, `${pkg.name} README must say how CommonJS loads it`).toMatch(/require\(/);
      for (const link of localLinks(readme)) {
        expect(pkg.files.has(linkPath(link)), `${pkg.name} README links to ${link}, which is not in the tarball`).toBe(true);
      }
      const examples = runnableExamples(readme);
      expect(examples.length, `${pkg.name} README needs an example marked ${exampleMarker}`).toBeGreaterThan(0);
      const installable = installedNames(readme);
      for (const imported of examples.flatMap((example) => importedPackages(example.code))) {
        expect(installable.has(imported), `${pkg.name} README example imports ${imported}; put it on the npm install line`).toBe(true);
      }
    }
  });

  it('imports every package as ESM from the installed tarballs', async () => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      `const out = {};
for (const name of JSON.parse(process.argv[2])) out[name] = Object.keys(await import(name)).sort();
console.log(JSON.stringify(out));
`,
    );
    const exports = JSON.parse(
      await run(process.execPath, ['esm.mjs', JSON.stringify(names)], { cwd: consumer, timeoutMs: 60_000, env: strangerEnv() }),
    ) as Record<string, string[]>;
    for (const name of names) expect(exports[name]?.length, `${name} exports nothing`).toBeGreaterThan(0);
    // The tarball's own code is what loaded, not the workspace's.
    const resolved = await run(process.execPath, ['-e', `console.log(require.resolve(${JSON.stringify(names[0])}))`], {
      cwd: consumer,
      timeoutMs: 30_000,
      env: strangerEnv(),
    });
    expect(resolved.trim().startsWith(join(consumer, 'node_modules'))).toBe(true);
  });

  it('loads every package with require() from CommonJS (Node ≥ 20.19) with the same exports', async () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      `const out = {};
for (const name of JSON.parse(process.argv[2])) out[name] = Object.keys(require(name)).filter((key) => key !== '__esModule' && key !== 'module.exports').sort();
console.log(JSON.stringify(out));
`,
    );
    writeFileSync(
      join(consumer, 'esm-keys.mjs'),
      `const out = {};
for (const name of JSON.parse(process.argv[2])) out[name] = Object.keys(await import(name)).sort();
console.log(JSON.stringify(out));
`,
    );
    const options = { cwd: consumer, timeoutMs: 60_000, env: strangerEnv() };
    const required = JSON.parse(await run(process.execPath, ['cjs.cjs', JSON.stringify(names)], options));
    const imported = JSON.parse(await run(process.execPath, ['esm-keys.mjs', JSON.stringify(names)], options));
    expect(required).toEqual(imported);
  });

  it.concurrent('type-checks against the tarballs with skipLibCheck false under module nodenext (ESM and CommonJS files)', async () => {
    const requires = names.map((name, index) => `import p${index} = require('${name}');`).join('\n');
    writeFileSync(join(consumer, 'required.cts'), `${requires}\nexport const all: object[] = [${names.map((_, i) => `p${i}`).join(', ')}];\n`);
    writeTsconfig('tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext' }, ['index.ts', 'required.cts']);
    await run(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], { cwd: consumer, timeoutMs: 120_000, env: strangerEnv() });
  });

  it.concurrent('type-checks against the tarballs with skipLibCheck false under moduleResolution bundler', async () => {
    writeTsconfig('tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler' }, ['index.ts']);
    await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: consumer, timeoutMs: 120_000, env: strangerEnv() });
  });

  it.concurrent("runs every README's example against the installed tarballs (and the sandbox it starts)", async () => {
    const files = packed.flatMap((pkg) =>
      runnableExamples(readPacked(pkg, 'README.md')).flatMap(({ code, needs }, index) => {
        // An example for a system service (SoftHSM2) runs where it is installed, always in CI.
        if (needs !== undefined && !serviceAvailable(serviceRequirement(needs))) return [];
        const file = `example-${pkg.name.replace('@mcapi/', '')}-${index}.mjs`;
        writeFileSync(join(consumer, file), code);
        return [file];
      }),
    );
    // Two at a time: each starts its own sandbox (RSA key generation), and CI has two cores.
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        await run(process.execPath, [file], { cwd: consumer, timeoutMs: 90_000, env: strangerEnv() });
      }
    };
    await Promise.all([worker(), worker()]);
  });
});

function writeTsconfig(file: string, resolution: Record<string, string>, files: string[]): void {
  const compilerOptions = {
    ...resolution,
    target: 'es2022',
    lib: ['es2023'],
    types: ['node'],
    strict: true,
    skipLibCheck: false,
    noEmit: true,
  };
  writeFileSync(join(consumer, file), JSON.stringify({ compilerOptions, files }, null, 2));
}
