import type { KeyObject, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type KeyringLocation, keyringLocation, secretFrom } from '@mcapi/cli-kit';
import { McapiError } from '@mcapi/errors';
import { type ExternalPrivateKey, type Keyring, type KeyEnvironment, type LoadedKey, type KeyPurpose, loadCertificate, loadCertificateChain, loadPrivateKey, openKeyring, publicKeyFingerprint } from '@mcapi/keys';
import { type ParsedValues, list, text } from '../cli/command-spec.js';

/** Every credential a command may use; each is absent when neither the options nor the keyring have it. */
export interface Credentials {
  keyEnvironment: KeyEnvironment;
  /** The opened keyring, when one was found or named. */
  keyring?: Keyring;
  mtls?: { cert: X509Certificate[]; key: KeyObject } | LoadedKey;
  consumerKey?: string;
  signingKey?: KeyObject | ExternalPrivateKey;
  signingCertificate?: X509Certificate;
  encryptionKey?: X509Certificate | KeyObject;
  /** OAuth 2.0: `--oauth2-key` (else the signing key is used) and `--dpop-key`. */
  oauth2Key?: KeyObject;
  dpopKey?: KeyObject;
  /** Response-decryption keys by kid (keyring), or one key (`--decryption-key`, tried for any kid). */
  decryptionKeys: ReadonlyMap<string, KeyObject | ExternalPrivateKey> | KeyObject;
}

/** The keyring directory: `--keyring`, else `$MCAPI_KEYRING`, else `./.mcapi/keyring` (the rule mcapi-keytool follows too). */
export function keyringDir(values: ParsedValues, env: NodeJS.ProcessEnv): KeyringLocation {
  return keyringLocation(text(values, 'keyring'), env);
}

/** Opens the keyring when one is named or the default exists; explicit key files win over it. */
export async function resolveCredentials(values: ParsedValues, env: NodeJS.ProcessEnv, keyEnvironment: KeyEnvironment): Promise<Credentials> {
  const { dir, given } = keyringDir(values, env);
  let keyring: Keyring | undefined;
  if (given || existsSync(dir)) {
    const passphrase = await secretFrom(values, 'passphrase', env, 'MCAPI_KEYRING_PASSPHRASE');
    keyring = await openKeyring(dir, passphrase === undefined ? {} : { passphrase });
  }
  const active = (purpose: KeyPurpose): LoadedKey | undefined => {
    if (!keyring) return undefined;
    try {
      return keyring.active(purpose, keyEnvironment);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_KEYRING_ENTRY') return undefined;
      throw error;
    }
  };
  const keyPassphrase = await secretFrom(values, 'key-passphrase', env);
  const privateKey = (path: string) => loadPrivateKey({ path }, keyPassphrase === undefined ? {} : { passphrase: keyPassphrase });
  const out: Credentials = { keyEnvironment, decryptionKeys: keyring ? keyring.decryptionKeys(keyEnvironment) : new Map() };
  if (keyring) out.keyring = keyring;

  const mtlsCert = text(values, 'mtls-cert');
  const mtlsKey = text(values, 'mtls-key');
  if ((mtlsCert === undefined) !== (mtlsKey === undefined)) throw new McapiError('ERR_CLI_USAGE', '--mtls-cert and --mtls-key go together.');
  const mtls = mtlsCert !== undefined && mtlsKey !== undefined ? { cert: await loadCertificateChain({ path: mtlsCert }), key: await privateKey(mtlsKey) } : active('mtls');
  if (mtls) out.mtls = mtls;

  const signing = active('signing');
  const signingKeyFile = text(values, 'signing-key');
  const signingKey = signingKeyFile !== undefined ? await privateKey(signingKeyFile) : signing?.privateKey;
  if (signingKey) out.signingKey = signingKey;
  const signingCertFile = text(values, 'signing-cert');
  // A signing key from a file does not go with the keyring's certificate.
  const signingCertificate = signingCertFile !== undefined ? await loadCertificate({ path: signingCertFile }) : signingKeyFile === undefined ? signing?.certificate : undefined;
  if (signingCertificate) out.signingCertificate = signingCertificate;
  const consumerKey = text(values, 'consumer-key') ?? signing?.entry.consumerKey;
  if (consumerKey !== undefined) out.consumerKey = consumerKey;

  const encryptionFile = text(values, 'encryption-cert');
  const encryption = active('request-encryption');
  const encryptionKey = encryptionFile !== undefined ? await loadCertificate({ path: encryptionFile }) : (encryption?.certificate ?? encryption?.publicKey);
  if (encryptionKey) out.encryptionKey = encryptionKey;

  const oauth2KeyFile = text(values, 'oauth2-key');
  if (oauth2KeyFile !== undefined) out.oauth2Key = await privateKey(oauth2KeyFile);
  const dpopKeyFile = text(values, 'dpop-key');
  if (dpopKeyFile !== undefined) out.dpopKey = await privateKey(dpopKeyFile);

  const decryptionFiles = list(values, 'decryption-key');
  if (decryptionFiles.length === 1) out.decryptionKeys = await privateKey(decryptionFiles[0]!);
  else if (decryptionFiles.length > 1) {
    const byKid = new Map<string, KeyObject>();
    for (const file of decryptionFiles) {
      const key = await privateKey(file);
      byKid.set(publicKeyFingerprint(key), key);
    }
    out.decryptionKeys = byKid;
  }
  return out;
}
