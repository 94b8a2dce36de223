import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's softhsm2 package puts the PKCS#11 module. */
export const softHsmModule = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) => existsSync(path)) ??
  '/usr/lib/softhsm/libsofthsm2.so';

/** A fresh SoftHSM2 token in a temp dir, reached through `SOFTHSM2_CONF`. */
export interface SoftHsmToken {
  readonly module: string;
  readonly tokenLabel: string;
  readonly pin: string;
  readonly soPin: string;
  /** The SOFTHSM2_CONF file; set it in the environment of any process that opens the token. */
  readonly conf: string;
  /** Initialises another token in the same directory (before the module is first opened). */
  addToken(label: string): void;
  /** Deletes a token with softhsm2-util, as if it were pulled out. */
  deleteToken(label: string): void;
  /** Deletes the whole temp dir. */
  remove(): Promise<void>;
}

/**
 * Creates a token with `softhsm2-util --init-token` in its own temp dir and points
 * `process.env.SOFTHSM2_CONF` at it (SoftHSM reads the variable when the module is initialised).
 */
export async function createSoftHsmToken(tokenLabel = 'mcapi-test', pin = '123456', soPin = '12345678'): Promise<SoftHsmToken> {
  const dir = await mkdtemp(join(tmpdir(), 'mcapi-softhsm-'));
  const tokens = join(dir, 'tokens');
  await mkdir(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  const util = (args: string[]) => execFileSync('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'ignore' });
  const addToken = (label: string) => util(['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', pin]);
  addToken(tokenLabel);
  return {
    addToken,
    deleteToken: (label) => util(['--delete-token', '--token', label]),
    module: softHsmModule,
    tokenLabel,
    pin,
    soPin,
    conf,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
