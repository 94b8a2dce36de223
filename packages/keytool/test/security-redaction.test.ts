// Issue #12 item 10: keytool never echoes a value given where a variable name belongs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, keytool } from './cli-helpers.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'keytool-security-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('security: keytool does not echo secrets (issue #12 item 10)', () => {
  it('--passphrase-env and --p12-passphrase-env with an unset name do not repeat the name', () => {
    const keyring = keytool(dir, ['csr', '--keyring', 'k', '--purpose', 'signing', '--cn', 'x', '--passphrase-env', 'hunter2', '--non-interactive']);
    expect(keyring.status).toBe(64);
    expect(keyring.stderr).toContain('--passphrase-env: the variable it names is not set or empty');
    expect(keyring.stderr + keyring.stdout).not.toContain('hunter2');
    const p12 = keytool(dir, ['import-p12', 'missing.p12', '--keyring', 'k', '--purpose', 'signing', '--p12-passphrase-env', 'Password1', '--json', '--non-interactive']);
    expect(p12.status).not.toBe(0);
    expect(p12.stderr + p12.stdout).not.toContain('Password1');
  });
});
