import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliRun, builtBinary, cleanCliEnv, cliRun } from '@mcapi/test-kit';
import { expect } from 'vitest';
import { openssl } from './helpers.js';

/** The committed bin file; it imports dist/cli.js, built by `pnpm run build` (turbo runs it before tests). */
export const { binary, assertBuilt } = builtBinary(new URL('..', import.meta.url), 'mcapi-keytool');
export type { CliRun };

/** Runs the real binary synchronously in `cwd`; stdin is not a TTY, so it never prompts. */
export function keytool(cwd: string, args: string[], extraEnv: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [binary, ...args], { cwd, env: cleanCliEnv(extraEnv), encoding: 'utf8', timeout: 30_000 });
  return cliRun(result.status, result.stdout, result.stderr);
}

/** The run, after asserting it exited 0 (its stderr is the failure message). */
export function ok(run: CliRun): CliRun {
  expect(run.status, run.stderr).toBe(0);
  return run;
}

/** Starts the binary without waiting (crash tests). */
export function keytoolProcess(cwd: string, args: string[], extraEnv: Record<string, string> = {}) {
  return spawn(process.execPath, [binary, ...args], { cwd, env: cleanCliEnv(extraEnv), stdio: 'ignore' });
}

/** An openssl test CA in `dir`: ca.key + ca.pem. */
export function opensslCa(dir: string): { key: string; certificate: string } {
  const key = join(dir, 'ca.key');
  const certificate = join(dir, 'ca.pem');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '3', '-subj', '/O=Test/CN=openssl test CA', '-sha256']);
  return { key, certificate };
}

/** Signs a CSR with the openssl CA, like the dashboard would; returns the certificate path. */
export function opensslSign(dir: string, ca: { key: string; certificate: string }, csrFile: string, name: string, days = 365): string {
  const out = join(dir, `${name}.crt.pem`);
  openssl(['x509', '-req', '-in', csrFile, '-CA', ca.certificate, '-CAkey', ca.key, '-CAcreateserial', '-days', String(days), '-sha256', '-out', out]);
  return out;
}

/** Writes a passphrase file (0600) and returns its path. */
export function secretFile(dir: string, name: string, secret: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return path;
}
