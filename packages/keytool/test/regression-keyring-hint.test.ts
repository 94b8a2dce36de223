// Issue #17 §3: @mcapi/keys names no CLI command; keytool adds its own hint to a missing keyring.
import { suiteTempDir } from '@mcapi/test-kit';
import { describe, expect, it } from 'vitest';
import { assertBuilt, keytool } from './cli-helpers.js';

const temp = suiteTempDir('keytool-hint-', assertBuilt);

describe('regression: keytool adds the hint @mcapi/keys leaves out (issue #17 §3)', () => {
  it('a missing keyring names the init command with the same --keyring, exit 2', () => {
    const run = keytool(temp.path, ['list', '--keyring', 'nowhere', '--json']);
    expect(run.status).toBe(2);
    expect(run.json()).toEqual({
      error: { code: 'ERR_KEYRING_NOT_FOUND', message: expect.stringMatching(/^No keyring at .*nowhere.* Create one with: mcapi-keytool init --keyring .*nowhere$/) },
    });
  });
});
