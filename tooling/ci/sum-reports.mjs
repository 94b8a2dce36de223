// Totals the vitest JSON reports of every package into the one line CI reads:
// "N passed, N failed". A non-zero exit of `pnpm test` with no failed test (a type, lint, build
// or publint error) still counts as one failure, so the line never claims a clean run; so does a
// failed flake job (second argument: its exit status).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const status = Number(process.argv[2] ?? 0);
const flakeStatus = Number(process.argv[3] ?? 0);
let passed = 0;
let failed = 0;
// packages/* and tooling/* (the packaging test lives in tooling/pack-test).
const projects = ['packages', 'tooling'].flatMap((root) => readdirSync(root).map((name) => join(root, name)));
for (const project of projects) {
  const report = join(project, '.vitest', 'report.json');
  if (!existsSync(report)) continue;
  const { numPassedTests = 0, numFailedTests = 0 } = JSON.parse(readFileSync(report, 'utf8'));
  passed += numPassedTests;
  failed += numFailedTests;
}
if (status !== 0 && failed === 0) {
  console.log('pnpm test exited non-zero outside the test runner (build, typecheck, lint or publint).');
  failed = 1;
}
if (flakeStatus !== 0) {
  console.log('The flake job (the whole suite three more times) failed: a test passed once and failed on a rerun; see its output above.');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
