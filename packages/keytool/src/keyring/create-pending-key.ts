import {
  type KeyEnvironment,
  type KeyPurpose,
  type KeyringEntry,
  publicKeyFingerprint,
  readKeyringManifest,
  updateKeyring,
  writeFileAtomic,
} from '@mcapi/keys';
import { createCsr } from '../x509/csr.js';
import { type DistinguishedName, formatDistinguishedName } from '../x509/distinguished-name.js';
import { generateRsaKeyPair } from '../x509/generate-key-pair.js';
import { assertPassphraseFitsKeyring } from './keyring-passphrase.js';
import { newKeyId } from './key-id.js';
import { type PendingKeyResult, pendingKeyResult, refuseExistingOut } from './csr-output.js';

export interface PendingKeyRequest {
  dir: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  subject: DistinguishedName;
  keySize: number;
  passphrase: string | undefined;
  now: Date;
  /** Extra copy of the CSR outside the keyring. */
  out?: string;
  force: boolean;
  /** Called around the slow key generation (spinner). */
  onKeyGeneration?: (phase: 'start' | 'end') => void;
}

/** A created pending key: its summary, the CSR text and where the CSR was written. */
export type { PendingKeyResult };

/**
 * New pending key + CSR, crash-safe: one keyring transaction writes the key and CSR files
 * (atomically, 0600, never over an existing file) before the manifest references them, so a
 * kill at any moment leaves at worst an unreferenced file, never a manifest entry without its key.
 * The slow key generation runs before the transaction, so other writers are not held up.
 */
export async function createPendingKey(request: PendingKeyRequest): Promise<PendingKeyResult> {
  const { dir, passphrase } = request;
  // Checked early so a wrong passphrase fails before the slow key generation; again under the lock.
  await assertPassphraseFitsKeyring(dir, await readKeyringManifest(dir), passphrase);
  await refuseExistingOut(request.out, request.force);
  request.onKeyGeneration?.('start');
  let privateKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
  try {
    ({ privateKey } = await generateRsaKeyPair(request.keySize));
  } finally {
    request.onKeyGeneration?.('end');
  }
  const csr = createCsr({ privateKey, subject: request.subject });
  const id = newKeyId(request.purpose, request.environment, request.now);
  let entry: KeyringEntry | undefined;
  await updateKeyring(dir, async (manifest, files) => {
    await assertPassphraseFitsKeyring(dir, manifest, passphrase);
    entry = {
      id,
      purpose: request.purpose,
      environment: request.environment,
      status: 'pending',
      createdAt: request.now.toISOString(),
      subject: formatDistinguishedName(request.subject),
      privateKeyFile: await files.writePrivateKey(id, privateKey, passphrase),
      ...(passphrase !== undefined && { privateKeyEncrypted: true }),
      csrFile: await files.writeCsr(id, csr),
      publicKeyFingerprint: publicKeyFingerprint(privateKey),
    };
    // The copy outside the keyring is public (a CSR); if it cannot be written, the transaction
    // fails and takes the staged key and CSR with it.
    if (request.out !== undefined) await writeFileAtomic(request.out, csr, { mode: 0o644, overwrite: request.force });
    manifest.keys.push(entry);
  });
  return pendingKeyResult(dir, entry!, request.now, csr, request.out);
}
