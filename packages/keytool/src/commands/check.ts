import { type KeyEnvironment, type KeyPurpose, checkCertificateValidity, loadEntry, readKeyringManifest } from '@mcapi/keys';
import { McapiError } from '@mcapi/errors';
import { type KeyringOptions, nowOf } from '../keyring/keyring-options.js';

/** Options of {@link checkKeyring}. */
export interface CheckOptions extends KeyringOptions {
  /** Window in days: an active certificate ending within it counts as expiring. Default 30. */
  expiresInDays?: number;
}

/** One active key as check saw it. */
export interface CheckedKey {
  id: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  state: 'ok' | 'expiring' | 'expired' | 'not-yet-valid' | 'broken';
  notAfter?: string;
  expiresInDays?: number;
  problem?: string;
}

/** The outcome of check, with the exit code the CLI uses. */
export interface CheckResult {
  id: string;
  status: 'ok' | 'expiring' | 'expired' | 'broken';
  /** 0 ok, 1 something active expires within the window, 2 expired or broken. */
  exitCode: 0 | 1 | 2;
  keys: CheckedKey[];
  problems: string[];
}

/**
 * `mcapi-keytool check`: for cron and systemd. Reads the manifest and the files of every active
 * key (decrypting private keys when the passphrase is given; otherwise checking certificate ↔
 * manifest), and classifies certificates against the window. Never throws for a broken keyring:
 * that is a result (exit code 2).
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when `expiresInDays` is negative or not a number. A missing or broken keyring and expiring keys are results (`status`, `exitCode`), not errors.
 *
 * @example
 * ```ts
 * const { exitCode, problems } = await checkKeyring({ keyring, expiresInDays: 30 });
 * process.exitCode = exitCode;
 * ```
 */
export async function checkKeyring(options: CheckOptions): Promise<CheckResult> {
  const windowDays = options.expiresInDays ?? 30;
  if (!(Number.isFinite(windowDays) && windowDays >= 0)) {
    throw new McapiError('ERR_INVALID_OPTION', 'expiresInDays (--expires-in) must be zero or more days.');
  }
  const dir = options.keyring;
  const now = nowOf(options);
  let manifest: Awaited<ReturnType<typeof readKeyringManifest>>;
  try {
    manifest = await readKeyringManifest(dir);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { id: dir, status: 'broken', exitCode: 2, keys: [], problems: [problem] };
  }
  const keys: CheckedKey[] = [];
  for (const entry of manifest.keys) {
    if (entry.status !== 'active') continue;
    const base = { id: entry.id, purpose: entry.purpose, environment: entry.environment };
    try {
      const loaded = await loadEntry(dir, withoutUndecryptableKey(entry, options.passphrase), {
        ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
        onWarning: () => undefined,
      });
      if (loaded.certificate === undefined) {
        keys.push({ ...base, state: 'broken', problem: `${entry.id} is active without a certificate` });
        continue;
      }
      const validity = checkCertificateValidity(loaded.certificate, { now: now.getTime(), warnWithinDays: windowDays });
      const state = validity.status === 'valid' ? 'ok' : validity.status;
      keys.push({
        ...base,
        state,
        notAfter: validity.notAfter.toISOString(),
        expiresInDays: validity.daysLeft,
        ...(state !== 'ok' && { problem: `${entry.id} (${entry.purpose}, ${entry.environment}) ${describe(state, validity.daysLeft)}` }),
      });
    } catch (error) {
      keys.push({ ...base, state: 'broken', problem: `${entry.id}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const problems = keys.flatMap((key) => (key.problem === undefined ? [] : [key.problem]));
  const worst = keys.some((key) => key.state === 'broken')
    ? 'broken'
    : keys.some((key) => key.state === 'expired' || key.state === 'not-yet-valid')
      ? 'expired'
      : keys.some((key) => key.state === 'expiring')
        ? 'expiring'
        : 'ok';
  return { id: dir, status: worst, exitCode: worst === 'ok' ? 0 : worst === 'expiring' ? 1 : 2, keys, problems };
}

// Without the passphrase an encrypted key cannot be opened; check the rest (certificate ↔
// manifest fingerprint) rather than report a healthy keyring as broken.
function withoutUndecryptableKey<T extends { privateKeyEncrypted?: boolean; privateKeyFile?: string; certificateFile?: string }>(entry: T, passphrase: string | undefined): T {
  if (passphrase !== undefined || !entry.privateKeyEncrypted || entry.certificateFile === undefined) return entry;
  const { privateKeyFile: _omitted, ...rest } = entry;
  return rest as T;
}

function describe(state: CheckedKey['state'], daysLeft: number): string {
  if (state === 'expiring') return `expires in ${daysLeft} days`;
  if (state === 'expired') return `expired ${-daysLeft} days ago`;
  return 'is not yet valid';
}
