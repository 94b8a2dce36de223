import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm demo --json', () => {
  it('prints only the steps as JSON, every step ok, exit 0, well under 60 s', async () => {
    const start = Date.now();
    const { stdout } = await run(process.execPath, ['--conditions=@mcapi/source', '--import', 'tsx', 'demo/demo.ts', '--json'], {
      cwd: packageDir,
      timeout: 60_000,
    });
    const elapsed = Date.now() - start;
    const report = JSON.parse(stdout) as { steps: { name: string; ok: boolean; status: number | null; durationMs: number }[] };
    expect(Object.keys(report)).toEqual(['steps']);
    expect(report.steps).toHaveLength(12);
    for (const step of report.steps) {
      expect(Object.keys(step)).toEqual(['name', 'ok', 'status', 'durationMs']);
      expect(step, step.name).toMatchObject({ ok: true });
    }
    expect(report.steps.find((step) => step.name.startsWith('Rejected request'))?.status).toBe(401);
    expect(report.steps.find((step) => step.name === 'BAS freeze card')?.status).toBe(204);
    expect(elapsed).toBeLessThan(60_000);
  }, 70_000);
});
