// The one-time flake job (issue 17 §5): the whole vitest suite three times in a row, after the
// README's test command. A test that passes once and fails on a rerun is broken (it depends on
// timing, order or leftovers), so any failed run fails CI. Its counts are reported here, apart
// from the README command's "N passed, N failed" line that sum-reports.mjs prints last.
import { spawnSync } from 'node:child_process';

const runs = Number(process.env.MCAPI_FLAKE_RUNS ?? 3);
// Extra arguments go to vitest (e.g. `pnpm test:flake --project @mcapi/errors` to try the job).
const extra = process.argv.slice(2);
const failedRuns = [];
for (let run = 1; run <= runs; run += 1) {
  const started = Date.now();
  const result = spawnSync('pnpm', ['vitest', 'run', ...extra], { stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? '1' } });
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = result.status === 0;
  if (!ok) failedRuns.push(run);
  console.log(`flake run ${run}/${runs}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
}
console.log(failedRuns.length === 0 ? `flake job: all ${runs} runs passed` : `flake job: run(s) ${failedRuns.join(', ')} of ${runs} failed`);
process.exit(failedRuns.length === 0 ? 0 : 1);
