#!/usr/bin/env node
// `pnpm hsm:setup`: checks for the services the HSM and Redis suites need and creates a
// developer SoftHSM2 token under ~/.mcapi/softhsm. Installs nothing itself: it prints the
// apt-get line (run it as root), so the script never changes the system behind your back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const has = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const missing = [];
if (!has('softhsm2-util', ['--version'])) missing.push('softhsm2');
if (!has('redis-server', ['--version'])) missing.push('redis-server');
if (missing.length > 0) {
  console.log(`Missing: ${missing.join(', ')}. Install with:\n  apt-get update && apt-get install -y ${missing.join(' ')}`);
  console.log('Until then the PKCS#11 and Redis suites are skipped (CI installs them and requires them).');
  if (missing.includes('softhsm2')) process.exit(1);
}

const dir = join(homedir(), '.mcapi', 'softhsm');
const tokens = join(dir, 'tokens');
const conf = join(dir, 'softhsm2.conf');
const label = process.env.MCAPI_HSM_TOKEN ?? 'mcapi-dev';
if (!existsSync(conf)) {
  mkdirSync(tokens, { recursive: true, mode: 0o700 });
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`, { mode: 0o600 });
}
const env = { ...process.env, SOFTHSM2_CONF: conf };
const slots = spawnSync('softhsm2-util', ['--show-slots'], { env, encoding: 'utf8' }).stdout ?? '';
if (!new RegExp(`Label:\\s+${label}\\s*$`, 'm').test(slots)) {
  const pin = process.env.MCAPI_HSM_PIN;
  const soPin = process.env.MCAPI_HSM_SO_PIN;
  if (!pin || !soPin) {
    console.log(`Set MCAPI_HSM_PIN and MCAPI_HSM_SO_PIN (the token's user and security-officer PINs) and run again to create the token ${label}.`);
    process.exit(1);
  }
  const made = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], { env, stdio: 'ignore' });
  if (made.status !== 0) {
    console.log(`softhsm2-util could not create the token ${label} in ${tokens}.`);
    process.exit(1);
  }
  console.log(`Created the SoftHSM2 token ${label} in ${tokens}.`);
} else {
  console.log(`The SoftHSM2 token ${label} exists in ${tokens}.`);
}
console.log(`Use it with:\n  export SOFTHSM2_CONF=${conf}\n  openPkcs11({ module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: '${label}', pinEnv: 'MCAPI_HSM_PIN' })`);
