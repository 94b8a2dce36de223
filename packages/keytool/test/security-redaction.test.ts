// Issue #12 item 10: keytool never echoes a value given where a variable name belongs.
import { suiteTempDir } from '@mcapi/test-kit';
import { describe, expect, it } from 'vitest';
import { assertBuilt, keytool } from './cli-helpers.js';

const temp = suiteTempDir('keytool-security-', assertBuilt);

describe('security: keytool does not echo secrets (issue #12 item 10)', () => {
  it('--passphrase-env and --p12-passphrase-env with an unset name do not repeat the name', () => {
    const keyring = keytool(temp.path, ['csr', '--keyring', 'k', '--purpose', 'signing', '--cn', 'x', '--passphrase-env', 'hunter2', '--non-interactive']);
    expect(keyring.status).toBe(64);
    expect(keyring.stderr).toContain('--passphrase-env: the variable it names is not set or empty');
    expect(keyring.stderr + keyring.stdout).not.toContain('hunter2');
    const p12 = keytool(temp.path, ['import-p12', 'missing.p12', '--keyring', 'k', '--purpose', 'signing', '--p12-passphrase-env', 'Password1', '--json', '--non-interactive']);
    expect(p12.status).not.toBe(0);
    expect(p12.stderr + p12.stdout).not.toContain('Password1');
  });
});
