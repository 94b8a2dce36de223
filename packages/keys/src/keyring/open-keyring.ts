import type { KeyObject, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { assertKeyMatchesCertificate } from '../certificate-checks.js';
import { publicKeyFingerprint, toPublicKey } from '../fingerprints.js';
import type { ExternalPrivateKey } from '../external-private-key.js';
import { emitProcessWarning, type WarningHandler } from '../key-source.js';
import { loadCertificateChain } from '../load-certificate.js';
import { loadPrivateKey } from '../load-private-key.js';
import type { KeyEnvironment, KeyPurpose, KeyringEntry, KeyringManifest } from './manifest.js';
import { readKeyringManifest } from './store.js';
import { watchDirectory } from './watch-keyring.js';

/** Options of {@link openKeyring}. */
export interface OpenKeyringOptions {
  /** Passphrase the keyring's private keys are encrypted with (keytool `--passphrase-*`). */
  passphrase?: string;
  /** Non-fatal findings (exposed key files, a reload that failed). Default: `process.emitWarning`. */
  onWarning?: WarningHandler;
  /**
   * Reload by itself when the directory changes (a `keytool activate` on a shared volume, a
   * Kubernetes secret update): `true`, or `{ debounceMs }` (default 250). A reload that fails
   * keeps the keys in use and reports through `onWarning`; call `close()` to stop watching.
   */
  watch?: boolean | { debounceMs?: number };
  /** Called after every successful reload (by `reload()` or the watcher), e.g. to reload a transport. */
  onReload?: (keyring: Keyring) => void | Promise<void>;
  /**
   * Opens keys the keyring holds by reference (`privateKeyRef`, e.g. a `pkcs11:` URI written by
   * `keytool csr --pkcs11`): an HSM provider such as `@mcapi/pkcs11`'s `openPkcs11(…)`. Without
   * it such entries load without a private key (their certificate and public key only), and a
   * call that needs the key says so.
   */
  externalKeys?: ExternalKeyResolver;
}

/** Turns a keyring's key reference into a key that works where it lives (an HSM, a KMS). */
export interface ExternalKeyResolver {
  /** @throws {McapiError} when the reference names no key it can reach. */
  resolve(reference: string): Promise<ExternalPrivateKey>;
}

/** A keyring entry with its material parsed. */
export interface LoadedKey {
  entry: KeyringEntry;
  /**
   * Absent for `request-encryption` (Mastercard's public certificate only), and for a key held by
   * reference when the keyring was opened without `externalKeys`.
   */
  privateKey?: KeyObject | ExternalPrivateKey;
  publicKey: KeyObject;
  /** The entry's certificate, when it has one (pending keys may not yet). */
  certificate?: X509Certificate;
  /** Certificates after the leaf in the certificate file. */
  chain: X509Certificate[];
}

/** The read side of a keyring directory; see {@link openKeyring}. */
export interface Keyring {
  readonly dir: string;
  /** Every entry of the manifest as last read, in file order. */
  entries(): readonly KeyringEntry[];
  /**
   * The active key of a purpose and environment.
   *
   * @throws {McapiError} `ERR_KEYRING_ENTRY` when there is none. The message names no command:
   * the caller (keytool, the client) knows how its user creates and activates a key.
   */
  active(purpose: KeyPurpose, environment: KeyEnvironment): LoadedKey;
  /**
   * Response-decryption keys that may still receive traffic (`active` and `previous`), by kid
   * (public-key fingerprint): pass to the JWE decryptor so responses encrypted to either key of a
   * rotation decrypt.
   */
  decryptionKeys(environment: KeyEnvironment): ReadonlyMap<string, KeyObject | ExternalPrivateKey>;
  /** Re-reads the manifest and the files of active and previous keys; atomic for readers. */
  reload(): Promise<void>;
  /** Stops watching (with `watch`); the keys stay usable. Idempotent. */
  close(): void;
}

/**
 * Opens a keyring directory and parses its in-use keys (`active` and `previous`) once. The result
 * is cheap to query on every request; call `reload()` after a rotation (or on SIGHUP).
 *
 * @throws {McapiError} `ERR_KEYRING_NOT_FOUND` when `dir` holds no keyring (the caller adds how to create one).
 * @throws {McapiError} `ERR_KEYRING_INVALID` when the manifest does not parse or references a missing or damaged file.
 * @throws {McapiError} `ERR_KEY_PASSPHRASE` when keys are encrypted and `passphrase` is missing or wrong.
 *
 * @example
 * ```ts
 * const keyring = await openKeyring('./.mcapi/keyring', { passphrase: process.env.MCAPI_KEYRING_PASSPHRASE });
 * const mtls = keyring.active('mtls', 'sandbox');
 * const kids = keyring.decryptionKeys('sandbox'); // Map kid → KeyObject
 * ```
 */
export async function openKeyring(dir: string, options: OpenKeyringOptions = {}): Promise<Keyring> {
  const debounceMs = watchDebounce(options.watch);
  let state = await loadState(dir, options);
  let stopWatching: (() => void) | undefined;
  const keyring: Keyring = {
    dir,
    entries: () => state.manifest.keys,
    active(purpose, environment) {
      const key = state.active.get(`${purpose}/${environment}`);
      if (key === undefined) {
        throw new McapiError(
          'ERR_KEYRING_ENTRY',
          `The keyring ${dir} has no active ${purpose} key for ${environment}: create one, import its certificate and activate it.`,
        );
      }
      return key;
    },
    decryptionKeys(environment) {
      return state.decryption.get(environment) ?? new Map();
    },
    async reload() {
      // Build the new state completely before swapping, so a failed reload keeps the old keys
      // and readers never see half of one and half of the other.
      state = await loadState(dir, options);
      await options.onReload?.(keyring);
    },
    close() {
      stopWatching?.();
      stopWatching = undefined;
    },
  };
  if (debounceMs !== undefined) {
    const warn = options.onWarning ?? emitProcessWarning;
    stopWatching = watchDirectory(dir, {
      debounceMs,
      onChange: () =>
        keyring.reload().catch((error: unknown) => {
          warn(`The keyring ${dir} changed but could not be reloaded; the keys in use stay (${error instanceof McapiError ? `${error.code}: ${error.message}` : 'unexpected error'}).`);
        }),
    });
  }
  return keyring;
}

function watchDebounce(watch: OpenKeyringOptions['watch']): number | undefined {
  if (watch === undefined || watch === false) return undefined;
  if (watch === true) return 250;
  const debounceMs = typeof watch === 'object' && watch !== null ? (watch.debounceMs ?? 250) : Number.NaN;
  if (!Number.isSafeInteger(debounceMs) || debounceMs < 0) {
    throw new McapiError('ERR_INVALID_OPTION', 'watch must be true, false or { debounceMs } with a whole number of milliseconds ≥ 0.');
  }
  return debounceMs;
}

interface KeyringState {
  manifest: KeyringManifest;
  active: Map<string, LoadedKey>;
  decryption: Map<KeyEnvironment, Map<string, KeyObject | ExternalPrivateKey>>;
}

async function loadState(dir: string, options: OpenKeyringOptions): Promise<KeyringState> {
  const manifest = await readKeyringManifest(dir);
  const active = new Map<string, LoadedKey>();
  const decryption = new Map<KeyEnvironment, Map<string, KeyObject | ExternalPrivateKey>>();
  for (const entry of manifest.keys) {
    if (entry.status !== 'active' && entry.status !== 'previous') continue;
    const loaded = await loadEntry(dir, entry, options);
    if (entry.status === 'active') active.set(`${entry.purpose}/${entry.environment}`, loaded);
    if (entry.purpose === 'response-decryption' && loaded.privateKey) {
      const byKid = decryption.get(entry.environment) ?? new Map<string, KeyObject | ExternalPrivateKey>();
      byKid.set(entry.publicKeyFingerprint, loaded.privateKey);
      decryption.set(entry.environment, byKid);
    }
  }
  return { manifest, active, decryption };
}

/**
 * Parses the files of one keyring entry and checks them against the manifest (key ↔ certificate,
 * fingerprint), so a swapped or damaged file is reported by name.
 *
 * @throws {McapiError} `ERR_KEYRING_INVALID` when a file or an HSM key does not match the manifest;
 * `ERR_KEY_PASSPHRASE` for an encrypted key without the right passphrase; `ERR_KEY_FORMAT` for a
 * damaged key or certificate file; `ERR_KEY_MISMATCH` when key and certificate differ.
 *
 * @example
 * ```ts
 * const loaded = await loadEntry(dir, manifest.keys[0], { passphrase });
 * ```
 */
export async function loadEntry(dir: string, entry: KeyringEntry, options: OpenKeyringOptions = {}): Promise<LoadedKey> {
  try {
    const privateKey = entry.privateKeyFile
      ? await loadPrivateKey(
          { path: join(dir, entry.privateKeyFile) },
          {
            ...(entry.privateKeyEncrypted && options.passphrase !== undefined && { passphrase: options.passphrase }),
            ...(options.onWarning && { onWarning: options.onWarning }),
          },
        )
      : undefined;
    const [certificate, ...chain] = entry.certificateFile
      ? await loadCertificateChain({ path: join(dir, entry.certificateFile) })
      : [];
    if (privateKey && certificate) assertKeyMatchesCertificate(privateKey, certificate);
    const publicKey = toPublicKey((privateKey ?? certificate)!);
    if (publicKeyFingerprint(publicKey) !== entry.publicKeyFingerprint) {
      throw new McapiError(
        'ERR_KEYRING_INVALID',
        `The key files of ${entry.id} do not match the fingerprint recorded in the manifest.`,
      );
    }
    const externalKey = await resolveExternalKey(entry, options.externalKeys);
    return {
      entry,
      publicKey,
      chain,
      ...(privateKey && { privateKey }),
      ...(externalKey && { privateKey: externalKey }),
      ...(certificate && { certificate }),
    };
  } catch (cause) {
    if (cause instanceof McapiError && cause.code === 'ERR_KEY_PASSPHRASE') {
      throw new McapiError(
        'ERR_KEY_PASSPHRASE',
        `Key ${entry.id} is encrypted: open the keyring with the right passphrase (MCAPI_KEYRING_PASSPHRASE or --passphrase-file).`,
        { cause },
      );
    }
    throw cause;
  }
}

// A key held by reference, opened through the caller's resolver and checked against the manifest:
// a reference that now points at another key (a label reused on the token) is refused.
async function resolveExternalKey(entry: KeyringEntry, resolver: ExternalKeyResolver | undefined): Promise<ExternalPrivateKey | undefined> {
  if (entry.privateKeyRef === undefined || resolver === undefined) return undefined;
  const key = await resolver.resolve(entry.privateKeyRef);
  if (publicKeyFingerprint(key.publicKey) !== entry.publicKeyFingerprint) {
    throw new McapiError(
      'ERR_KEYRING_INVALID',
      `The key ${entry.privateKeyRef} of ${entry.id} is not the key recorded in the manifest (its public key differs).`,
    );
  }
  return key;
}
