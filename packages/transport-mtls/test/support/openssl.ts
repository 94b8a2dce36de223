import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Encrypted keys and keystores are made with the openssl CLI, as a user would, from the PEMs our
// own code issued. Passwords travel through the environment, never argv.

function withTempDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mcapi-mtls-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[], password: string): void {
  execFileSync('openssl', args, { env: { ...process.env, MCAPI_TEST_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The key as encrypted PKCS#8 PEM (AES-256-CBC). */
export function encryptedPemKey(keyPem: string, password: string): string {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
    openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', join(dir, 'key.pem'), '-out', join(dir, 'enc.pem'), '-passout', 'env:MCAPI_TEST_PASSWORD'], password);
    return readFileSync(join(dir, 'enc.pem'), 'utf8');
  });
}

/**
 * A PKCS#12 keystore. `legacy` uses RC2-40 / 3DES and a SHA-1 MAC (what old keytool and
 * Mastercard's older downloads produce), which OpenSSL 3 itself refuses as a TLS `pfx`.
 */
export function pkcs12(parts: { cert: string; key: string; ca?: string }, password: string, options: { alias: string; legacy: boolean }): Uint8Array {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'key.pem'), parts.key, { mode: 0o600 });
    writeFileSync(join(dir, 'cert.pem'), parts.cert);
    const args = ['pkcs12', '-export', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'cert.pem'), '-name', options.alias, '-out', join(dir, 'store.p12'), '-passout', 'env:MCAPI_TEST_PASSWORD'];
    if (parts.ca !== undefined) {
      writeFileSync(join(dir, 'ca.pem'), parts.ca);
      args.push('-certfile', join(dir, 'ca.pem'));
    }
    if (options.legacy) args.push('-legacy');
    else args.push('-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256');
    openssl(args, password);
    return new Uint8Array(readFileSync(join(dir, 'store.p12')));
  });
}
