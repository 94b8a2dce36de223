import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A temporary directory made before the suite's tests and removed after them; call it at the top
 * of a test file or describe block and read `.path` inside tests.
 *
 * @example
 * ```ts
 * const temp = suiteTempDir('keytool-hint-');
 * it('…', () => keytool(temp.path, ['list']));
 * ```
 */
export function suiteTempDir(prefix: string, before?: () => void): { readonly path: string } {
  let path = '';
  beforeAll(() => {
    before?.();
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
  };
}
