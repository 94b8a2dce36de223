import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openssl } from './helpers.js';

/** The committed bin file; it imports dist/cli.js, built by `pnpm run build` (turbo runs it before tests). */
export const binary = fileURLToPath(new URL('../bin/mcapi-keytool.js', import.meta.url));
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(built)) throw new Error(`${built} is missing: run "pnpm run build" in packages/keytool before these tests.`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

// A clean environment: no keyring or passphrase leaking in from the developer's shell.
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MCAPI_KEYRING;
  delete env.MCAPI_KEYRING_PASSPHRASE;
  return { ...env, ...extra };
}

/** Runs the real binary synchronously in `cwd`; stdin is not a TTY, so it never prompts. */
export function keytool(cwd: string, args: string[], extraEnv: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [binary, ...args], { cwd, env: cleanEnv(extraEnv), encoding: 'utf8', timeout: 30_000 });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    json<T>() {
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${result.status}):\n${result.stdout}\nstderr:\n${result.stderr}`);
      }
    },
  };
}

/** Starts the binary without waiting (crash tests). */
export function keytoolProcess(cwd: string, args: string[], extraEnv: Record<string, string> = {}) {
  return spawn(process.execPath, [binary, ...args], { cwd, env: cleanEnv(extraEnv), stdio: 'ignore' });
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
