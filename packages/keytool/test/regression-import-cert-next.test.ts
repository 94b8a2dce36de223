// Regression (issue 12 item 5): `import-cert --json` must carry the next step, as the text output
// does; a script that stopped at "imported" left the request-encryption certificate inactive and
// the client sending Cross-Border bodies in plaintext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, keytool } from './cli-helpers.js';
import { temporaryDirectory, vector } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
beforeAll(() => {
  assertBuilt();
  expect(keytool(dir, ['init', '--keyring', 'keyring']).status).toBe(0);
});

describe('regression: import-cert --json names the next step', () => {
  it('gives the activate command for an imported request-encryption certificate, which works as given', () => {
    const run = keytool(dir, ['import-cert', vector('test_certificate.pem'), '--purpose', 'request-encryption', '--json', '--keyring', 'keyring', '--non-interactive']);
    expect(run.status, run.stderr).toBe(0);
    const imported = run.json<{ id: string; status: string; next: string }>();
    expect(imported.status).toBe('pending');
    expect(imported.next).toBe(`mcapi-keytool activate ${imported.id}`);
    const [command, ...args] = imported.next.split(' ');
    expect(command).toBe('mcapi-keytool');
    const activated = keytool(dir, [...args, '--keyring', 'keyring', '--non-interactive', '--json']);
    expect(activated.status, activated.stderr).toBe(0);
    expect(activated.json<{ status: string }>().status).toBe('active');
  });
});
