import { afterAll, describe, expect, it } from 'vitest';
import { initKeyring, openKeyring } from '../src/index.js';
import { temporaryDirectory } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);

describe('openKeyring watch option', () => {
  it('is checked, and close() is idempotent', async () => {
    await initKeyring(dir);
    await expect(openKeyring(dir, { watch: { debounceMs: -1 } })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(openKeyring(dir, { watch: 'yes' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    const keyring = await openKeyring(dir, { watch: true });
    keyring.close();
    keyring.close();
    expect(keyring.entries()).toEqual([]);
  });
});
