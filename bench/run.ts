// `pnpm bench`: runs every suite in bench/suites (or those named on the command line) in one
// process and prints ratios. Exits 1 when a suite misses one of its targets.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Suite } from './harness.js';

const directory = fileURLToPath(new URL('./suites/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(directory)
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

const missed: string[] = [];
console.log(`mcapi benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  const { suite } = (await import(pathToFileURL(`${directory}${file}`).href)) as { suite: Suite };
  console.log(`\n## ${suite.name}`);
  const result = await suite.run();
  for (const line of result.lines) console.log(`  ${line}`);
  missed.push(...result.missed.map((line) => `${suite.name}: ${line}`));
}
if (missed.length > 0) {
  console.log(`\nTargets missed:\n${missed.map((line) => `  - ${line}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nAll targets met.');
}
