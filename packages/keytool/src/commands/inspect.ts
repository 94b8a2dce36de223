import type { X509Certificate } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { type KeyringManifest, loadCertificateChain, readKeyringManifest } from '@mcapi/keys';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf } from '../keyring/keyring-options.js';
import { type MaterialDescription, describeMaterial } from '../material/describe-material.js';
import { type Material, readMaterial } from '../material/read-material.js';

/** Options of {@link inspectKey}. */
export interface InspectOptions extends KeyringOptions {
  /** A key id of the keyring, or a file (certificate, CSR, key, PKCS#12). */
  target: string;
  /** Password of an encrypted key or PKCS#12 file. */
  filePassphrase?: string;
  alias?: string;
}

/** What inspect found. `id` is the keyring entry's, or null for a file the keyring does not hold. */
export interface InspectResult extends MaterialDescription {
  id: string | null;
  /** The keyring entry, when the target is (or matches) one. */
  entry?: KeySummary;
  /** The file inspected, when the target was a file. */
  file?: string;
}

/**
 * `mcapi-keytool inspect ID|FILE`: public facts of a keyring entry or a file: fingerprints
 * (Mastercard's public-key SHA-256, certificate SHA-256, RFC 7638), subject, issuer, validity.
 * A file whose key is in the keyring reports that entry's id.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when the target is neither a key id of the keyring nor a file; `ERR_INVALID_OPTION` without a target; `ERR_KEY_FORMAT` / `ERR_KEY_PASSPHRASE` when a file cannot be read or needs its password.
 *
 * @example
 * ```ts
 * const { id, key, certificate } = await inspectKey({ keyring, target: 'mastercard-signed.pem' });
 * ```
 */
export async function inspectKey(options: InspectOptions): Promise<InspectResult> {
  if (typeof options?.target !== 'string' || options.target === '') {
    throw new McapiError('ERR_INVALID_OPTION', 'inspect: target must be a key id or a file.');
  }
  const now = nowOf(options);
  const manifest = await readKeyringManifest(options.keyring).catch(() => undefined);
  const entry = manifest?.keys.find((key) => key.id === options.target);
  if (entry !== undefined) {
    const material = await entryMaterial(options.keyring, entry);
    return { id: entry.id, entry: summarizeEntry(options.keyring, entry, now), ...describeMaterial(material) };
  }
  if (!(await isFile(options.target))) {
    throw new McapiError('ERR_KEYRING_ENTRY', `"${options.target}" is neither a key id of the keyring ${options.keyring} nor a file.`);
  }
  const material = await readMaterial(options.target, {
    ...(options.filePassphrase !== undefined && { passphrase: options.filePassphrase }),
    ...(options.alias !== undefined && { alias: options.alias }),
  });
  const description = describeMaterial(material);
  const match = findByFingerprint(manifest, description.key.publicKeyFingerprint);
  return {
    id: match?.id ?? null,
    file: resolve(options.target),
    ...(match !== undefined && { entry: summarizeEntry(options.keyring, match, now) }),
    ...description,
  };
}

/** The public material of an entry, from its certificate or else its CSR (no decryption). */
export async function entryMaterial(dir: string, entry: KeyringManifest['keys'][number]): Promise<Material> {
  if (entry.certificateFile !== undefined) {
    const [certificate, ...chain] = (await loadCertificateChain({ path: join(dir, entry.certificateFile) })) as [X509Certificate, ...X509Certificate[]];
    return { kind: 'certificate', publicKey: certificate.publicKey, certificate, chain };
  }
  if (entry.csrFile !== undefined) return readMaterial(join(dir, entry.csrFile));
  // A pending key without CSR or certificate: only its (unencrypted) key file can say more.
  return readMaterial(join(dir, entry.privateKeyFile!));
}

export function findByFingerprint(manifest: KeyringManifest | undefined, fingerprint: string) {
  return manifest?.keys.find((key) => key.publicKeyFingerprint === fingerprint);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
