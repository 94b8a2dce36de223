// Issue #12 item 10: a corrupt refresh-token file must not have its content quoted by the error
// (its message, cause, toJSON or util.inspect). Before the fix the cause was JSON.parse's
// SyntaxError, whose message quotes the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMcapiError } from '@mcapi/errors';
import { everyView } from '@mcapi/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileRefreshTokenStore } from '../src/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'auth-security-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('security: refresh-token file errors quote no content (issue #12 item 10)', () => {
  it.each([
    ['a bare token written by hand', 'rt-5f1a9c7e-secret'],
    ['a token after a stray character', 'x{"refreshToken":"rt-5f1a9c7e-secret","expiresAt":1}'],
    ['a truncated record', '{"refreshToken":"rt-5f1a9c7e-secret","expiresAt":17'],
  ])('%s', async (_name, content) => {
    const path = join(dir, 'refresh-token.json');
    writeFileSync(path, content, { mode: 0o600 });
    const error = await createFileRefreshTokenStore(path)
      .load()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(isMcapiError(error, 'ERR_OAUTH2_TOKEN')).toBe(true);
    const views = everyView(error as Error);
    expect(views).toContain('delete it and log in again');
    expect(views).not.toContain('rt-5f1a9c7e');
    expect(views).not.toContain('rt-5f1a');
  });
});
