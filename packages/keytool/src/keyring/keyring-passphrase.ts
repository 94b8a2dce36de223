import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { type KeyringManifest, loadPrivateKey } from '@mcapi/keys';

/**
 * Keeps a keyring consistent before a new key is written: when its keys are encrypted, a new key
 * must be too, and with the same passphrase (checked by decrypting one existing key), otherwise
 * services that open the keyring with one passphrase would fail on the new key.
 */
export async function assertPassphraseFitsKeyring(dir: string, manifest: KeyringManifest, passphrase: string | undefined): Promise<void> {
  const encrypted = manifest.keys.find((key) => key.privateKeyEncrypted && key.privateKeyFile !== undefined && key.status !== 'retired');
  if (encrypted === undefined) return;
  if (passphrase === undefined) {
    throw new McapiError(
      'ERR_KEY_PASSPHRASE',
      `The keyring ${dir} encrypts its keys; give its passphrase (prompt, --passphrase-file or --passphrase-env) so the new key is encrypted the same way.`,
    );
  }
  try {
    await loadPrivateKey({ path: join(dir, encrypted.privateKeyFile!) }, { passphrase, onWarning: () => undefined });
  } catch (cause) {
    throw new McapiError('ERR_KEY_PASSPHRASE', `The passphrase does not open the keyring's existing keys (tried ${encrypted.id}). Use the keyring's passphrase.`, {
      cause,
    });
  }
}
