import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) }, out, err };
}

describe('mcapi-sandbox CLI', () => {
  it('prints URLs and certificates as JSON with --json', async () => {
    const { io, out } = capture();
    const result = await runCli(['--json', '--request-token'], io);
    if (!('sandbox' in result)) throw new Error('sandbox did not start');
    try {
      const printed = JSON.parse(out.join('')) as { urls: Record<string, string>; caCertificate: string; requestEncryptionCertificate: string };
      expect(printed.urls).toEqual(result.sandbox.urls);
      expect(new X509Certificate(printed.requestEncryptionCertificate).checkIssued(new X509Certificate(printed.caCertificate))).toBe(true);
      const info = await request(`${printed.urls.dashboard}/`);
      expect(info.statusCode).toBe(200);
      await info.body.dump();
    } finally {
      await result.sandbox.close();
    }
  });

  it('prints human-readable text by default', async () => {
    const { io, out } = capture();
    const result = await runCli([], io);
    if (!('sandbox' in result)) throw new Error('sandbox did not start');
    await result.sandbox.close();
    const text = out.join('');
    expect(text).toContain(`Benefit Allocation (mTLS + JWE):   ${result.sandbox.urls.benefitAllocation}`);
    expect(text).toContain('-----BEGIN CERTIFICATE-----');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('exits 64 on bad usage (the exit-code table all mcapi CLIs share) and 0 on --help', async () => {
    const bad = capture();
    expect(await runCli(['--port-dashboard', 'eighty'], bad.io)).toEqual({ exitCode: 64 });
    expect(bad.err.join('')).toMatch(/--port-dashboard must be a port number/);
    expect(await runCli(['--nope'], capture().io)).toEqual({ exitCode: 64 });
    const help = capture();
    expect(await runCli(['--help'], help.io)).toEqual({ exitCode: 0 });
    expect(help.out.join('')).toMatch(/Usage: mcapi-sandbox/);
  });

  it('runs as the real binary and stops on SIGTERM', { timeout: 60_000 }, async () => {
    // The binary imports dist/; build it when this checkout has not been built yet.
    if (!existsSync(`${packageDir}/dist/cli.js`)) execFileSync('pnpm', ['run', 'build'], { cwd: packageDir, stdio: 'ignore' });
    const child: ChildProcess = spawn(process.execPath, ['bin/mcapi-sandbox.js', '--json'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const { urls } = JSON.parse(line) as { urls: { dashboard: string } };
    const response = await request(`${urls.dashboard}/ca.pem`);
    expect(await response.body.text()).toContain('BEGIN CERTIFICATE');
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(exitCode).toBe(0);
  });
});
