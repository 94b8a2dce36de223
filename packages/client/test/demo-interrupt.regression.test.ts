import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// Issue #12 item 13: Ctrl-C during `pnpm demo` left the demo's unencrypted keys in /tmp.
// The real entry point of `pnpm demo` (tooling/demo/bin/demo.js) runs with TMPDIR pointing at a
// directory of this test, so what the demo leaves behind is visible.

const wrapper = fileURLToPath(new URL('../../../tooling/demo/bin/demo.js', import.meta.url));
let tmp: string;
let child: ChildProcess | undefined;
afterEach(() => {
  // Whatever is left of the demo's process group (nothing, when the demo cleaned up and exited).
  try {
    if (child?.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
  rmSync(tmp, { recursive: true, force: true });
});

const demoDirs = () => readdirSync(tmp).filter((name) => name.startsWith('mcapi-demo-'));
const keyFiles = () =>
  demoDirs().flatMap((name) => {
    const keys = join(tmp, name, 'keyring', 'keys');
    return existsSync(keys) ? readdirSync(keys).filter((file) => file.endsWith('.key.pem')) : [];
  });

/** Starts `pnpm demo` in its own process group and waits until its first key file exists. */
async function demoWithKeys(): Promise<{ exited: Promise<number | null> }> {
  tmp = mkdtempSync(join(tmpdir(), 'mcapi-demo-test-'));
  const started = spawn(process.execPath, [wrapper], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore', detached: true });
  child = started;
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  while (keyFiles().length === 0) {
    if (started.exitCode !== null) throw new Error('the demo ended before writing a key');
    await sleep(20);
  }
  return { exited };
}

describe('regression: pnpm demo interrupted leaves no keys behind (#12.13)', () => {
  it('Ctrl-C (SIGINT to the process group, as a terminal sends it) removes the temporary keyring', { timeout: 90_000 }, async () => {
    const { exited } = await demoWithKeys();
    process.kill(-child!.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(demoDirs()).toEqual([]);
  });

  it('SIGTERM to the pnpm demo process alone is passed on, and the keyring is removed', { timeout: 90_000 }, async () => {
    const { exited } = await demoWithKeys();
    process.kill(child!.pid!, 'SIGTERM');
    expect(await exited).toBe(143);
    expect(demoDirs()).toEqual([]);
  });
});
