import type { KeyEnvironment, KeyPurpose, Keyring, LoadedKey } from '@mcapi/keys';
import type { MtlsCredentials } from '@mcapi/transport-mtls';
import type { EncryptionCredentials } from './client-options.js';
import { lastDerived } from './last-derived.js';

/**
 * The keys a keyring holds for one environment: what is active now (undefined where none is, for
 * the checks at construction), and `follow` to read a purpose's key again before each use.
 */
export interface KeyringCredentials {
  mtls: MtlsCredentials | undefined;
  /** Only when both halves are there: an active request-encryption certificate and a response-decryption key. */
  encryption: EncryptionCredentials | undefined;
  signing: LoadedKey | undefined;
  /** See {@link followActiveKey}; throws `missing()` while the keyring has no usable key of the purpose. */
  follow<T>(purpose: KeyPurpose, derive: (key: LoadedKey) => T | undefined, missing: () => Error): () => T;
}

/**
 * Reads the active keys of `environment` from a keyring. Decryption keys stay a function, so a
 * `keyring.reload()` after a rotation is picked up by every later response; the other keys are
 * followed through `follow` by the transport, the authorizer and the encryption step.
 */
export function keyringCredentials(keyring: Keyring | undefined, environment: KeyEnvironment): KeyringCredentials {
  if (keyring === undefined) {
    return {
      mtls: undefined,
      encryption: undefined,
      signing: undefined,
      follow: () => {
        throw new Error('unreachable: nothing follows a keyring that was not given');
      },
    };
  }
  const request = activeKey(keyring, 'request-encryption', environment);
  const decryptionKeys = () => keyring.decryptionKeys(environment);
  return {
    mtls: activeKey(keyring, 'mtls', environment),
    encryption: request && decryptionKeys().size > 0 ? { encryptionKey: request.certificate ?? request.publicKey, decryptionKeys } : undefined,
    signing: activeKey(keyring, 'signing', environment),
    follow: (purpose, derive, missing) => followActiveKey(keyring, purpose, environment, derive, missing),
  };
}

/**
 * What `derive` makes of the keyring's active key of `purpose`, read before every use. A reload
 * (`keyring.reload()` or a watched keyring's own) replaces every `LoadedKey` object, so one
 * identity check (a Map lookup in `keyring.active`) finds a rotation: no file I/O, no parsing per
 * call. A reload that left this purpose's key as it was (same entry, key and certificate) keeps
 * what was derived, so e.g. rotating the response key does not reconnect the mTLS pool.
 *
 * @throws `missing()` (on the call) while there is no active key, or `derive` finds it unusable
 * (a signing key without a consumer key): the request fails with the client's message for it.
 *
 * @example
 * ```ts
 * const current = followActiveKey(keyring, 'mtls', 'sandbox', (key) => key, () => notConfigured('benefitAllocation', 'mtls'));
 * await transport.request(…); // after current() !== presented: transport.reload(current())
 * ```
 */
export function followActiveKey<T>(
  keyring: Keyring,
  purpose: KeyPurpose,
  environment: KeyEnvironment,
  derive: (key: LoadedKey) => T | undefined,
  missing: () => Error,
): () => T {
  let kept: { key: LoadedKey; value: T } | undefined;
  const fromKey = lastDerived((key: LoadedKey): T => {
    if (kept !== undefined && sameKey(kept.key, key)) return kept.value;
    const value = derive(key);
    if (value === undefined) throw missing();
    kept = { key, value };
    return value;
  });
  return () => {
    const key = activeKey(keyring, purpose, environment);
    if (key === undefined) throw missing();
    return fromKey(key);
  };
}

// The same key material under a new LoadedKey object (a reload re-reads every in-use entry).
function sameKey(a: LoadedKey, b: LoadedKey): boolean {
  return (
    a.entry.id === b.entry.id &&
    a.entry.publicKeyFingerprint === b.entry.publicKeyFingerprint &&
    a.entry.consumerKey === b.entry.consumerKey &&
    a.certificate?.fingerprint256 === b.certificate?.fingerprint256 &&
    (a.privateKey === undefined) === (b.privateKey === undefined)
  );
}

function activeKey(keyring: Keyring, purpose: KeyPurpose, environment: KeyEnvironment): LoadedKey | undefined {
  try {
    return keyring.active(purpose, environment);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_KEYRING_ENTRY') return undefined;
    throw error;
  }
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
