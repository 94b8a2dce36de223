import type { X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import {
  type KeyEnvironment,
  type KeyPurpose,
  type KeyringEntry,
  type KeyringManifest,
  certificateFacts,
  certificateFingerprint,
  checkCertificateValidity,
  loadCertificateChain,
  publicKeyFingerprint,
  updateKeyring,
} from '@mcapi/keys';
import { newKeyId } from '../keyring/key-id.js';
import { type KeySummary, summarizeEntry } from '../keyring/key-summary.js';
import { type KeyringOptions, nowOf, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';

/** Options of {@link importCertificate}. */
export interface ImportCertOptions extends KeyringOptions {
  /** PEM (leaf and chain, any order) or DER certificate file. */
  file: string;
  /**
   * Only `request-encryption`: store Mastercard's public encryption certificate as a new entry.
   * Otherwise the certificate goes to the pending key whose public key it carries.
   */
  purpose?: KeyPurpose;
  /** For `request-encryption` entries; default sandbox. */
  environment?: KeyEnvironment;
  /** OAuth 1.0a consumer key Mastercard shows for a signing key. */
  consumerKey?: string;
  /** Replace a certificate the pending key already has. */
  force?: boolean;
}

/** What `import-cert` did. */
export interface ImportCertResult extends KeySummary {
  /** Validity findings worth telling (expiring soon, not yet valid). */
  warnings: string[];
}

/**
 * `mcapi-keytool import-cert`: attaches the certificate Mastercard returns to the pending key
 * whose public key it carries, and refuses a certificate that matches none (like Java keytool's
 * certificate reply); with `purpose: 'request-encryption'`, stores Mastercard's public
 * certificate. The certificate file is written before the manifest references it.
 *
 * @throws {McapiError} `ERR_CERTIFICATE_NO_MATCH` when the certificate belongs to no pending key of the keyring (or to one of another purpose); `ERR_FILE_EXISTS` when that key already has a certificate and `force` is not set; `ERR_KEYRING_ENTRY` when a request-encryption certificate is already in the keyring; `ERR_INVALID_OPTION` for an option that does not apply (`consumerKey`, `environment`); the keyring's codes (`ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_LOCKED`).
 *
 * @example
 * ```ts
 * const { id, ready } = await importCertificate({ keyring, file: 'signed.pem', consumerKey: 'abc!123' });
 * ```
 */
export async function importCertificate(options: ImportCertOptions): Promise<ImportCertResult> {
  validateKeyringOptions(options, 'import-cert');
  const purpose = options.purpose === undefined ? undefined : validatePurpose(options.purpose);
  if (options.consumerKey !== undefined && !/^\S{1,200}$/.test(options.consumerKey)) {
    throw new McapiError('ERR_INVALID_OPTION', 'consumerKey must be the consumer key as Mastercard shows it (no spaces).');
  }
  const now = nowOf(options);
  const certificates = await loadCertificateChain({ path: options.file });
  if (purpose === 'request-encryption') return importEncryptionCertificate(options, certificates, now);
  if (options.environment !== undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'environment applies to request-encryption certificates only; other certificates join their pending key.');
  }

  const dir = options.keyring;
  const fingerprints = certificates.map((certificate) => publicKeyFingerprint(certificate));
  let entry: KeyringEntry | undefined;
  // Matched against the manifest as read under the keyring lock: no other writer can change the
  // pending key between the check and the update.
  await updateKeyring(dir, async (manifest, files) => {
    const match = pendingKeyFor(manifest, fingerprints, purpose, options);
    const leafIndex = fingerprints.indexOf(match.publicKeyFingerprint);
    const leaf = certificates[leafIndex]!;
    const chain = certificates.filter((_, index) => index !== leafIndex);
    // --force: the new certificate gets its own file; the replaced one goes after the commit.
    if (match.certificateFile !== undefined) files.removeAfterCommit(match.certificateFile);
    Object.assign(match, {
      certificateFile: await files.writeCertificate(match.id, leaf, chain),
      certificateFingerprint: certificateFingerprint(leaf),
      ...certificateFacts(leaf),
      ...(options.consumerKey !== undefined && { consumerKey: options.consumerKey }),
    });
    entry = match;
  });
  const leaf = certificates[fingerprints.indexOf(entry!.publicKeyFingerprint)]!;
  return { ...summarizeEntry(dir, entry!, now), warnings: validityWarnings(leaf, now) };
}

/** The pending key of `manifest` a certificate reply belongs to; refuses anything else. */
function pendingKeyFor(manifest: KeyringManifest, fingerprints: string[], purpose: KeyPurpose | undefined, options: ImportCertOptions): KeyringEntry {
  const match = manifest.keys.find((entry) => hasPrivateKey(entry) && fingerprints.includes(entry.publicKeyFingerprint));
  if (match === undefined || match.status !== 'pending') {
    const pending = manifest.keys.filter((entry) => entry.status === 'pending' && hasPrivateKey(entry)).map((entry) => entry.id);
    const reason =
      match === undefined
        ? `its public key (${fingerprints[0]}) belongs to no key of the keyring`
        : `it belongs to ${match.id}, which is ${match.status}; certificates attach to pending keys only (keys are rotated, not renewed: mcapi-keytool rotate)`;
    throw new McapiError(
      'ERR_CERTIFICATE_NO_MATCH',
      `Certificate not imported: ${reason}. Pending keys: ${pending.length > 0 ? pending.join(', ') : 'none'}. Check you downloaded the certificate for the CSR this keyring made.`,
    );
  }
  if (purpose !== undefined && purpose !== match.purpose) {
    throw new McapiError('ERR_CERTIFICATE_NO_MATCH', `The certificate belongs to ${match.id}, a ${match.purpose} key, not ${purpose}.`);
  }
  if (options.consumerKey !== undefined && match.purpose !== 'signing') {
    throw new McapiError('ERR_INVALID_OPTION', `consumerKey (--consumer-key) applies to signing keys; ${match.id} is ${match.purpose}.`);
  }
  if (match.certificateFile !== undefined && options.force !== true) {
    throw new McapiError('ERR_FILE_EXISTS', `${match.id} already has a certificate; it was left untouched. Use --force to replace it.`);
  }
  return match;
}

async function importEncryptionCertificate(
  options: ImportCertOptions,
  certificates: Awaited<ReturnType<typeof loadCertificateChain>>,
  now: Date,
): Promise<ImportCertResult> {
  const dir = options.keyring;
  const environment = validateEnvironment(options.environment);
  if (options.consumerKey !== undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'consumerKey (--consumer-key) applies to signing keys, not request-encryption certificates.');
  }
  const [leaf, ...chain] = certificates as [X509Certificate, ...X509Certificate[]];
  const fingerprint = publicKeyFingerprint(leaf);
  const id = newKeyId('request-encryption', environment, now);
  let entry: KeyringEntry | undefined;
  await updateKeyring(dir, async (manifest, files) => {
    const duplicate = manifest.keys.find((key) => key.publicKeyFingerprint === fingerprint && key.environment === environment && key.status !== 'retired');
    if (duplicate !== undefined) {
      throw new McapiError('ERR_KEYRING_ENTRY', `This certificate is already in the keyring as ${duplicate.id} (${duplicate.status}).`);
    }
    entry = {
      id,
      purpose: 'request-encryption',
      environment,
      status: 'pending',
      createdAt: now.toISOString(),
      certificateFile: await files.writeCertificate(id, leaf, chain),
      publicKeyFingerprint: fingerprint,
      certificateFingerprint: certificateFingerprint(leaf),
      ...certificateFacts(leaf),
    };
    manifest.keys.push(entry);
  });
  return { ...summarizeEntry(dir, entry!, now), warnings: validityWarnings(leaf, now) };
}

function validityWarnings(certificate: Parameters<typeof checkCertificateValidity>[0], now: Date): string[] {
  const validity = checkCertificateValidity(certificate, { now: now.getTime() });
  switch (validity.status) {
    case 'expired':
      return [`The certificate expired on ${validity.notAfter.toISOString()}; activate will refuse it.`];
    case 'not-yet-valid':
      return [`The certificate is not valid before ${validity.notBefore.toISOString()}.`];
    case 'expiring':
      return [`The certificate expires in ${validity.daysLeft} days.`];
    default:
      return [];
  }
}

// A key of ours: in a file, or in an HSM (privateKeyRef).
function hasPrivateKey(entry: KeyringEntry): boolean {
  return entry.privateKeyFile !== undefined || entry.privateKeyRef !== undefined;
}
