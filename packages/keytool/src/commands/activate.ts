import { McapiError } from '@mcapi/errors';
import { checkCertificateValidity, loadEntry, readKeyringManifest, updateKeyring } from '@mcapi/keys';
import { findEntry } from '../keyring/find-entry.js';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf, validateKeyringOptions } from '../keyring/keyring-options.js';

/** Options of {@link activateKey}. */
export interface ActivateOptions extends KeyringOptions {
  /** The key to activate: a ready pending key, or a `previous` key to roll back to. */
  id: string;
  /** Activate even when the certificate is expired or not yet valid. */
  force?: boolean;
}

/** What `activate` changed. */
export interface ActivateResult extends KeySummary {
  /** The key that was active before and is now `previous`, if any. */
  replaced?: string;
}

/**
 * `mcapi-keytool activate`: makes a ready key the active key of its purpose and environment in
 * one atomic manifest update; the key it replaces becomes `previous` (response-decryption keys
 * keep decrypting until retired). The key's files are loaded and checked first (with the
 * passphrase), so a key that services could not open is never activated.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when there is no such key, it is already active or retired, or it has no certificate yet; `ERR_CERTIFICATE_EXPIRED` / `ERR_CERTIFICATE_NOT_YET_VALID` outside its validity (unless `force`); the keyring's codes (`ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_LOCKED`, `ERR_KEY_PASSPHRASE`).
 *
 * @example
 * ```ts
 * const { replaced } = await activateKey({ keyring, id: 'rd-sandbox-20261125-3f9a1c', passphrase });
 * ```
 */
export async function activateKey(options: ActivateOptions): Promise<ActivateResult> {
  validateKeyringOptions(options, 'activate');
  const dir = options.keyring;
  const now = nowOf(options);
  const candidate = findEntry(await readKeyringManifest(dir), options.id, dir);
  assertActivatable(candidate, dir);
  const loaded = await loadEntry(dir, candidate, {
    ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
    onWarning: () => undefined,
  });
  const validity = checkCertificateValidity(loaded.certificate!, { now: now.getTime() });
  if ((validity.status === 'expired' || validity.status === 'not-yet-valid') && options.force !== true) {
    throw new McapiError(
      validity.status === 'expired' ? 'ERR_CERTIFICATE_EXPIRED' : 'ERR_CERTIFICATE_NOT_YET_VALID',
      `${candidate.id} was not activated: its certificate is ${validity.status} (${validity.notBefore.toISOString()} to ${validity.notAfter.toISOString()}). Use --force to activate it anyway.`,
    );
  }
  let replaced: string | undefined;
  const manifest = await updateKeyring(dir, (next) => {
    const entry = findEntry(next, options.id, dir);
    // Re-checked under the lock, against the manifest actually being written.
    assertActivatable(entry, dir);
    if (entry.publicKeyFingerprint !== candidate.publicKeyFingerprint) {
      throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} changed while activating; run activate again.`);
    }
    const at = now.toISOString();
    for (const other of next.keys) {
      if (other.status === 'active' && other.purpose === entry.purpose && other.environment === entry.environment) {
        other.status = 'previous';
        replaced = other.id;
      }
    }
    entry.status = 'active';
    entry.activatedAt = at;
    return next;
  });
  const entry = findEntry(manifest, options.id, dir);
  return { ...summarizeEntry(dir, entry, now), ...(replaced !== undefined && { replaced }) };
}

function assertActivatable(entry: { id: string; status: string; certificateFile?: string }, dir: string): void {
  if (entry.status === 'active') throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} is already active.`);
  if (entry.status === 'retired') {
    throw new McapiError('ERR_KEYRING_ENTRY', `${entry.id} is retired and cannot be activated again; create a new key with mcapi-keytool rotate.`);
  }
  if (entry.certificateFile === undefined) {
    throw new McapiError(
      'ERR_KEYRING_ENTRY',
      `${entry.id} has no certificate yet: upload its CSR on Mastercard Developers, then run mcapi-keytool import-cert CERTIFICATE.pem --keyring ${dir}`,
    );
  }
}
