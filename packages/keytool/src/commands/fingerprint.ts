import { McapiError } from '@mcapi/errors';
import { certificateFingerprint, jwkThumbprint, publicKeyFingerprint, readKeyringManifest } from '@mcapi/keys';
import type { KeyringOptions } from '../keyring/keyring-options.js';
import { type Material, readMaterial } from '../material/read-material.js';
import { entryMaterial, findByFingerprint } from './inspect.js';

/** Options of {@link fingerprint}. */
export interface FingerprintOptions extends Partial<KeyringOptions> {
  /** A file (certificate, CSR, key, PKCS#12) or, with `keyring`, a key id. */
  target: string;
  /**
   * `public-key` (default): SHA-256 of the SubjectPublicKeyInfo, what Mastercard shows and the
   * JWE kid; `certificate`: SHA-256 of the certificate; `jwk`: RFC 7638 thumbprint (base64url).
   */
  type?: 'public-key' | 'certificate' | 'jwk';
  /** `hex` (default) or `base64`; ignored for `jwk`. */
  encoding?: 'hex' | 'base64';
  filePassphrase?: string;
  alias?: string;
}

/** A fingerprint and what it was computed over. */
export interface FingerprintResult {
  /** The keyring entry holding this key, else null. */
  id: string | null;
  type: 'public-key' | 'certificate' | 'jwk';
  encoding: 'hex' | 'base64' | 'base64url';
  fingerprint: string;
}

/**
 * `mcapi-keytool fingerprint`: the fingerprint Mastercard shows for a key or certificate.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for an unknown type or encoding, or a certificate fingerprint of a file without one; `ERR_KEY_FORMAT` when the target is not a key id of the keyring and not a readable key or certificate file; `ERR_KEY_PASSPHRASE` when an encrypted file needs its password.
 *
 * @example
 * ```ts
 * const { fingerprint: kid } = await fingerprint({ target: 'mastercard-encryption.pem' });
 * ```
 */
export async function fingerprint(options: FingerprintOptions): Promise<FingerprintResult> {
  const type = options.type ?? 'public-key';
  const encoding = options.encoding ?? 'hex';
  if (!['public-key', 'certificate', 'jwk'].includes(type)) {
    throw new McapiError('ERR_INVALID_OPTION', 'type must be public-key, certificate or jwk.');
  }
  if (encoding !== 'hex' && encoding !== 'base64') throw new McapiError('ERR_INVALID_OPTION', 'encoding must be hex or base64.');
  const manifest = options.keyring === undefined ? undefined : await readKeyringManifest(options.keyring).catch(() => undefined);
  const entry = manifest?.keys.find((key) => key.id === options.target);
  let material: Material;
  if (entry !== undefined && options.keyring !== undefined) {
    material = await entryMaterial(options.keyring, entry);
  } else {
    material = await readMaterial(options.target, {
      ...(options.filePassphrase !== undefined && { passphrase: options.filePassphrase }),
      ...(options.alias !== undefined && { alias: options.alias }),
    });
  }
  const id = entry?.id ?? findByFingerprint(manifest, publicKeyFingerprint(material.publicKey))?.id ?? null;
  if (type === 'jwk') return { id, type, encoding: 'base64url', fingerprint: jwkThumbprint(material.publicKey) };
  if (type === 'certificate') {
    if (material.certificate === undefined) {
      throw new McapiError('ERR_INVALID_OPTION', `${options.target} holds no certificate (it is a ${material.kind}); use --type public-key.`);
    }
    return { id, type, encoding, fingerprint: certificateFingerprint(material.certificate, encoding) };
  }
  return { id, type, encoding, fingerprint: publicKeyFingerprint(material.publicKey, encoding) };
}
