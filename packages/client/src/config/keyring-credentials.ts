import type { KeyEnvironment, KeyPurpose, Keyring, LoadedKey } from '@mcapi/keys';
import type { MtlsCredentials } from '@mcapi/transport-mtls';
import type { EncryptionCredentials } from './client-options.js';

/** The credentials a keyring holds for one environment; undefined where it has none. */
export interface KeyringCredentials {
  mtls: MtlsCredentials | undefined;
  /** Only when both halves are there: an active request-encryption certificate and a response-decryption key. */
  encryption: EncryptionCredentials | undefined;
  signing: LoadedKey | undefined;
}

/**
 * Reads the active keys of `environment` from a keyring. Decryption keys stay a function, so a
 * `keyring.reload()` after a rotation is picked up by every later response.
 */
export function keyringCredentials(keyring: Keyring | undefined, environment: KeyEnvironment): KeyringCredentials {
  if (keyring === undefined) return { mtls: undefined, encryption: undefined, signing: undefined };
  const active = (purpose: KeyPurpose): LoadedKey | undefined => {
    try {
      return keyring.active(purpose, environment);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_KEYRING_ENTRY') return undefined;
      throw error;
    }
  };
  const request = active('request-encryption');
  const encryption: EncryptionCredentials | undefined =
    request && keyring.decryptionKeys(environment).size > 0
      ? { encryptionKey: request.certificate ?? request.publicKey, decryptionKeys: () => keyring.decryptionKeys(environment) }
      : undefined;
  return { mtls: active('mtls'), encryption, signing: active('signing') };
}

/**
 * What is missing for JWE, and the keytool command that fixes it: the client's message, since
 * only the client knows which keys a call needs (`@mcapi/keys` stays unaware of the CLI's flow).
 */
export function missingEncryptionHint(keyring: Keyring | undefined, environment: KeyEnvironment): string {
  if (keyring === undefined) {
    return "encryption (Mastercard's request-encryption certificate and your response-decryption keys), or a keyring that has them";
  }
  const where = `--keyring ${keyring.dir}`;
  const missing: string[] = [];
  const pending = (purpose: KeyPurpose) =>
    keyring.entries().find((entry) => entry.purpose === purpose && entry.environment === environment && entry.status === 'pending');
  let hasRequestKey = true;
  try {
    keyring.active('request-encryption', environment);
  } catch {
    hasRequestKey = false;
  }
  if (!hasRequestKey) {
    const imported = pending('request-encryption');
    missing.push(
      imported
        ? `the request-encryption certificate ${imported.id} (${environment}) is imported but not active: run mcapi-keytool activate ${imported.id} ${where}`
        : `no request-encryption certificate for ${environment}: run mcapi-keytool import-cert FILE --purpose request-encryption --environment ${environment} ${where}, then mcapi-keytool activate ID ${where}`,
    );
  }
  if (keyring.decryptionKeys(environment).size === 0) {
    const waiting = pending('response-decryption');
    missing.push(
      waiting?.certificateFile
        ? `the response-decryption key ${waiting.id} (${environment}) is not active: run mcapi-keytool activate ${waiting.id} ${where}`
        : waiting
          ? `the response-decryption key ${waiting.id} (${environment}) has no certificate yet: run mcapi-keytool import-cert FILE ${where}, then mcapi-keytool activate ${waiting.id} ${where}`
          : `no response-decryption key for ${environment}: run mcapi-keytool csr --purpose response-decryption --environment ${environment} ${where}, then import-cert and activate`,
    );
  }
  return `the keyring ${keyring.dir} cannot encrypt: ${missing.join('; ')}`;
}
