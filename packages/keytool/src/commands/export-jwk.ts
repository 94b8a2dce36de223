import type { JsonWebKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type KeyEnvironment, type KeyPurpose, type KeyringEntry, readKeyringManifest } from '@mcapi/keys';
import { findEntry } from '../keyring/find-entry.js';
import { type KeyringOptions, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';
import { entryMaterial } from './inspect.js';

/** Options of {@link exportJwk}. */
export interface ExportJwkOptions extends KeyringOptions {
  id: string;
}

/** A public JWK with the members this package sets. */
export type PublicJwk = JsonWebKey & { kid: string; use: 'sig' | 'enc'; alg: string; x5c?: string[]; 'x5t#S256'?: string };

/**
 * `mcapi-keytool export-jwk`: the public JWK of a key, `kid` = Mastercard's public-key
 * fingerprint, with `x5c`/`x5t#S256` when it has a certificate. Never private members.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when there is no such key; `ERR_KEYRING_NOT_FOUND` / `ERR_KEYRING_INVALID` when there is no readable keyring; `ERR_INVALID_OPTION` for an invalid option.
 *
 * @example
 * ```ts
 * const { jwk } = await exportJwk({ keyring, id });
 * ```
 */
export async function exportJwk(options: ExportJwkOptions): Promise<{ id: string; jwk: PublicJwk }> {
  validateKeyringOptions(options, 'export-jwk');
  const entry = findEntry(await readKeyringManifest(options.keyring), options.id, options.keyring);
  return { id: entry.id, jwk: await entryJwk(options.keyring, entry) };
}

/** Options of {@link exportJwks}. */
export interface ExportJwksOptions extends KeyringOptions {
  purpose: KeyPurpose;
  /** Default sandbox. */
  environment?: KeyEnvironment;
}

/**
 * `mcapi-keytool export-jwks`: a JWK Set of the keys of a purpose that may be in use (`active`
 * first, then `previous`), e.g. both keys of a rotation.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when no key of the purpose is active or previous; `ERR_KEYRING_NOT_FOUND` / `ERR_KEYRING_INVALID` when there is no readable keyring; `ERR_INVALID_OPTION` for an invalid option.
 *
 * @example
 * ```ts
 * const { jwks } = await exportJwks({ keyring, purpose: 'response-decryption' });
 * ```
 */
export async function exportJwks(options: ExportJwksOptions): Promise<{ ids: string[]; jwks: { keys: PublicJwk[] } }> {
  validateKeyringOptions(options, 'export-jwks');
  const purpose = validatePurpose(options.purpose);
  const environment = validateEnvironment(options.environment);
  const manifest = await readKeyringManifest(options.keyring);
  const rank = { active: 0, previous: 1 } as Record<string, number | undefined>;
  const entries = manifest.keys
    .filter((key) => key.purpose === purpose && key.environment === environment && rank[key.status] !== undefined)
    .sort((a, b) => rank[a.status]! - rank[b.status]!);
  if (entries.length === 0) {
    throw new McapiError('ERR_KEYRING_ENTRY', `No active or previous ${purpose} key for ${environment} in ${options.keyring}.`);
  }
  const keys = await Promise.all(entries.map((entry) => entryJwk(options.keyring, entry)));
  return { ids: entries.map((entry) => entry.id), jwks: { keys } };
}

async function entryJwk(dir: string, entry: KeyringEntry): Promise<PublicJwk> {
  const material = await entryMaterial(dir, entry);
  const { kty, n, e, crv, x, y } = material.publicKey.export({ format: 'jwk' });
  const signing = entry.purpose === 'signing' || entry.purpose === 'mtls';
  const certificates = material.certificate ? [material.certificate, ...material.chain] : [];
  return {
    kty,
    ...(n !== undefined && { n, e }),
    ...(crv !== undefined && { crv, x, y }),
    kid: entry.publicKeyFingerprint,
    use: signing ? 'sig' : 'enc',
    alg: signing ? (kty === 'RSA' ? 'RS256' : 'ES256') : 'RSA-OAEP-256',
    ...(material.certificate && {
      x5c: certificates.map((certificate) => certificate.raw.toString('base64')),
      'x5t#S256': Buffer.from(entry.certificateFingerprint ?? '', 'hex').toString('base64url'),
    }),
  } as PublicJwk;
}
