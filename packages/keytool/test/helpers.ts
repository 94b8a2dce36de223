import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of a file in test/vectors. */
export const vector = (name: string): string => fileURLToPath(new URL(`./vectors/${name}`, import.meta.url));

/** A temporary directory removed by the returned cleanup. */
export function temporaryDirectory(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcapi-keytool-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs openssl and returns stdout + stderr; passwords go through env, never argv. */
export function openssl(args: string[], env: Record<string, string> = {}, input?: string): string {
  return execFileSync('openssl', args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input !== undefined && { input }),
  });
}

/** Like {@link openssl} but also returns stderr, where `req -verify` reports. */
export function opensslAll(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('sh', ['-c', 'openssl "$@" 2>&1', 'openssl', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

/**
 * SHA-256 of the SubjectPublicKeyInfo DER as openssl computes it, for a CSR (`req`) or
 * certificate (`x509`) file: the value Mastercard shows as the public key fingerprint.
 */
export function opensslPublicKeyFingerprint(file: string, kind: 'req' | 'x509'): string {
  const script = `openssl ${kind} -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`;
  return execFileSync('sh', ['-c', script, 'sh', file], { encoding: 'utf8' }).split(' ')[0]!.trim();
}
