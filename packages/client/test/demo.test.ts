import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm demo --json', () => {
  it('prints only the steps as JSON, every step ok, exit 0, well under 60 s', async () => {
    const start = Date.now();
    // A failing step exits 1 but still prints the report: read it, so the assertion below names
    // the step that failed instead of only "Command failed".
    const { stdout, exitCode } = await run(process.execPath, ['--conditions=@mcapi/source', '--import', 'tsx', 'demo/demo.ts', '--json'], {
      cwd: packageDir,
      timeout: 60_000,
    }).then(
      ({ stdout }) => ({ stdout, exitCode: 0 }),
      (error: { stdout?: string; code?: number | string }) => ({ stdout: error.stdout ?? '', exitCode: error.code }),
    );
    const elapsed = Date.now() - start;
    const report = JSON.parse(stdout) as { steps: { name: string; ok: boolean; status: number | null; durationMs: number }[] };
    expect(Object.keys(report)).toEqual(['steps']);
    expect(report.steps).toHaveLength(16);
    for (const step of report.steps) {
      expect(Object.keys(step)).toEqual(['name', 'ok', 'status', 'durationMs']);
      expect(step, step.name).toMatchObject({ ok: true });
    }
    expect(report.steps.find((step) => step.name.startsWith('Rejected request'))?.status).toBe(401);
    expect(report.steps.find((step) => step.name === 'BAS freeze card')?.status).toBe(204);
    // The push steps: a payment status and an RFI answered end to end reach the webhook handler.
    expect(report.steps.filter((step) => step.name.startsWith('Push:') || step.name.startsWith('RFI end to end')).map((step) => step.ok)).toEqual([true, true, true]);
    expect(exitCode).toBe(0);
    expect(elapsed).toBeLessThan(60_000);
  }, 70_000);
});

describe('pnpm demo --keep', () => {
  it('prints the dashboard URL, keeps the sandbox and keyring up until SIGINT, then removes them', async () => {
    const child = spawn(process.execPath, ['--conditions=@mcapi/source', '--import', 'tsx', 'demo/demo.ts', '--keep'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const start = Date.now();
      while (!/try \(after pnpm build\):\n {2}pnpm exec mcapi request .*\n/.test(stdout)) {
        if (Date.now() - start > 60_000 || child.exitCode !== null) throw new Error(`no dashboard URL; output:\n${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stdout).toContain('16/16 steps ok');
      const dashboard = stdout.match(/ {2}dashboard {2}(http:\/\/127\.0\.0\.1:\d+\/_dashboard\/)\n/)?.[1];
      const keyring = stdout.match(/--keyring (\S+)/)?.[1];
      const caFile = stdout.match(/--ca (\S+)/)?.[1];
      expect(dashboard).toBeDefined();
      // Still up after the report: the dashboard answers, the keyring and CA file are there.
      expect((await fetch(dashboard!)).status).toBe(200);
      expect(existsSync(keyring!) && existsSync(caFile!)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('sandbox stopped; keyring removed');
      expect(existsSync(keyring!)).toBe(false);
      await expect(fetch(dashboard!)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
