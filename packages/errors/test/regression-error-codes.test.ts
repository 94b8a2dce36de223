// Issue #17 §3: the code union drifted (`ERR_OAUTH_VERIFICATION_FAILED` listed but never thrown,
// `ERR_ATTEMPT_TIMEOUT` tested for but not in the union). Both directions are guarded: the
// compiler refuses a code outside the union, and this test refuses a listed code no package uses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type McapiErrorCode, errorCodes } from '../src/index.js';

const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
const codesFile = fileURLToPath(new URL('../src/codes.ts', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && path !== codesFile ? [path] : [];
  });
}

describe('regression: the error-code contract (issue #17 §3)', () => {
  it('every listed code is used by some package source (no dead codes)', () => {
    const sources = readdirSync(packagesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        try {
          return sourceFiles(join(packagesDir, entry.name, 'src'));
        } catch {
          return [];
        }
      })
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    const unused = errorCodes.filter((code) => !sources.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('a code outside the union does not compile', () => {
    // @ts-expect-error ERR_ATTEMPT_TIMEOUT is not an mcapi error code (never produced)
    const attempt: McapiErrorCode = 'ERR_ATTEMPT_TIMEOUT';
    // @ts-expect-error ERR_OAUTH_VERIFICATION_FAILED was removed: the verifier answers { ok: false, reason }
    const verification: McapiErrorCode = 'ERR_OAUTH_VERIFICATION_FAILED';
    expect(errorCodes).not.toContain(attempt);
    expect(errorCodes).not.toContain(verification);
  });
});
