import { type KeyEnvironment, type KeyPurpose, publicKeyFingerprint, readKeyringManifest } from '@mcapi/keys';
import { createCsr } from '../x509/csr.js';
import type { DistinguishedName } from '../x509/distinguished-name.js';
import { generateRsaKeyPair } from '../x509/generate-key-pair.js';
import { assertPassphraseFitsKeyring } from './keyring-passphrase.js';
import { newKeyId } from './key-id.js';
import { type PendingKeyResult, recordPendingKey, refuseExistingOut } from './csr-output.js';

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
 * (atomically, 0600, never over an existing file) before the manifest references them (see
 * {@link recordPendingKey}). The slow key generation runs before the transaction, so other
 * writers are not held up.
 */
export async function createPendingKey(request: PendingKeyRequest): Promise<PendingKeyResult> {
  // The passphrase stays here: the recorder gets only what the manifest entry records.
  const { passphrase, keySize, onKeyGeneration, ...made } = request;
  const { dir } = made;
  // Checked early so a wrong passphrase fails before the slow key generation; again under the lock.
  await assertPassphraseFitsKeyring(dir, await readKeyringManifest(dir), passphrase);
  await refuseExistingOut(request.out, request.force);
  onKeyGeneration?.('start');
  let privateKey: Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];
  try {
    ({ privateKey } = await generateRsaKeyPair(keySize));
  } finally {
    onKeyGeneration?.('end');
  }
  const csr = createCsr({ privateKey, subject: request.subject });
  const id = newKeyId(request.purpose, request.environment, request.now);
  return recordPendingKey({ ...made, id, csr, publicKeyFingerprint: publicKeyFingerprint(privateKey) }, async (manifest, files) => {
    await assertPassphraseFitsKeyring(dir, manifest, passphrase);
    return {
      privateKeyFile: await files.writePrivateKey(id, privateKey, passphrase),
      ...(passphrase !== undefined && { privateKeyEncrypted: true }),
    };
  });
}
