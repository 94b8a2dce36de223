import { join } from 'node:path';
import { McapiError } from '@mcapi/errors';
import { type KeyEnvironment, type KeyPurpose, loadCertificate, readKeyringManifest } from '@mcapi/keys';
import { createPendingKey } from '../keyring/create-pending-key.js';
import { createPendingTokenKey } from '../keyring/create-pending-token-key.js';
import { type KeyringOptions, nowOf, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';
import { certificateSubject } from '../x509/certificate-subject.js';
import { rsaKeySizes } from '../x509/generate-key-pair.js';
import { type CsrResult, nextStepFor } from './csr.js';

/** Options of {@link rotateKey}. */
export interface RotateOptions extends KeyringOptions {
  purpose: KeyPurpose;
  /** Default sandbox. */
  environment?: KeyEnvironment;
  /** Default: the active key's size. */
  keySize?: number;
  /** Also write the CSR to this file. */
  out?: string;
  force?: boolean;
  onKeyGeneration?: (phase: 'start' | 'end') => void;
  /**
   * For an active key held in an HSM (its entry has `privateKeyRef`): the module and the PIN
   * variable; the new key is generated in the same token (or `tokenLabel`).
   */
  pkcs11?: { module: string; pinEnv: string; tokenLabel?: string };
}

/** What `rotate` created. */
export interface RotateResult extends CsrResult {
  /** The active key being replaced (still active until the new one is activated). */
  replaces: string;
  /** E.g. an earlier rotation still pending: its CSR may already be on the dashboard. */
  warnings: string[];
}

const sandboxCn = /^\d+-Client-MTF-(.+)$/;

/**
 * `mcapi-keytool rotate`: a new pending key and CSR with the active key's subject (a sandbox
 * mTLS CN gets a fresh epoch). The active key stays active until `activate`.
 *
 * @throws {McapiError} `ERR_KEYRING_ENTRY` when nothing of that purpose and environment is active; `ERR_INVALID_OPTION` for an invalid option; `ERR_PKCS11_MODULE` when `pkcs11` is given and `@mcapi/pkcs11` is not installed; `ERR_FILE_EXISTS` for an existing `out` without `force`; the keyring's codes (`ERR_KEYRING_NOT_FOUND`, `ERR_KEYRING_INVALID`, `ERR_KEYRING_LOCKED`, `ERR_KEY_PASSPHRASE`).
 *
 * @example
 * ```ts
 * const { id, csrFile } = await rotateKey({ keyring, purpose: 'response-decryption', passphrase });
 * ```
 */
export async function rotateKey(options: RotateOptions): Promise<RotateResult> {
  validateKeyringOptions(options, 'rotate');
  const purpose = validatePurpose(options.purpose);
  const environment = validateEnvironment(options.environment);
  if (purpose === 'request-encryption') {
    throw new McapiError('ERR_INVALID_OPTION', 'Mastercard rotates its own encryption certificate: import the new one with import-cert --purpose request-encryption, then activate it.');
  }
  const dir = options.keyring;
  const now = nowOf(options);
  const manifest = await readKeyringManifest(dir);
  const active = manifest.keys.find((key) => key.status === 'active' && key.purpose === purpose && key.environment === environment);
  if (active === undefined || active.certificateFile === undefined) {
    throw new McapiError('ERR_KEYRING_ENTRY', `No active ${purpose} key for ${environment} to rotate; create the first one with: mcapi-keytool csr --purpose ${purpose} --environment ${environment}`);
  }
  const earlier = manifest.keys.filter((key) => key.status === 'pending' && key.purpose === purpose && key.environment === environment);
  const warnings = earlier.map(
    (key) => `${key.id} is still pending from an earlier rotation; if its CSR was never uploaded, retire it: mcapi-keytool retire ${key.id}`,
  );
  const certificate = await loadCertificate({ path: join(dir, active.certificateFile) });
  const subject = certificateSubject(certificate);
  const sandbox = sandboxCn.exec(subject.CN);
  if (sandbox !== null) subject.CN = `${Math.floor(now.getTime() / 1000)}-Client-MTF-${sandbox[1]}`;
  const keySize = options.keySize ?? certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048;
  if (!(rsaKeySizes as readonly number[]).includes(keySize)) {
    throw new McapiError('ERR_INVALID_OPTION', `keySize must be one of ${rsaKeySizes.join(', ')}.`);
  }
  if (active.privateKeyRef !== undefined) {
    if (options.pkcs11 === undefined || !options.pkcs11.module || !options.pkcs11.pinEnv) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        `The active key ${active.id} is in an HSM (${active.privateKeyRef}); rotate it there: mcapi-keytool rotate --purpose ${purpose} --pkcs11 MODULE --pin-env VAR`,
      );
    }
    const token = options.pkcs11.tokenLabel ?? tokenOf(active.privateKeyRef);
    const created = await createPendingTokenKey({
      dir,
      purpose,
      environment,
      subject,
      keySize,
      now,
      force: options.force === true,
      pkcs11: { module: options.pkcs11.module, pinEnv: options.pkcs11.pinEnv, tokenLabel: token },
      ...(options.out !== undefined && { out: options.out }),
      ...(options.onKeyGeneration && { onKeyGeneration: options.onKeyGeneration }),
    });
    return { ...created, replaces: active.id, warnings, nextStep: nextStepFor(purpose, created.outFile ?? created.csrFile) };
  }
  const created = await createPendingKey({
    dir,
    purpose,
    environment,
    subject,
    keySize,
    passphrase: options.passphrase,
    now,
    force: options.force === true,
    ...(options.out !== undefined && { out: options.out }),
    ...(options.onKeyGeneration && { onKeyGeneration: options.onKeyGeneration }),
  });
  return { ...created, replaces: active.id, warnings, nextStep: nextStepFor(purpose, created.outFile ?? created.csrFile) };
}

// The token label of an RFC 7512 URI (`pkcs11:token=…;…`), percent-decoded.
function tokenOf(uri: string): string {
  const token = /(?:^pkcs11:|;)token=([^;?]*)/.exec(uri)?.[1];
  if (token === undefined) throw new McapiError('ERR_KEYRING_INVALID', `The key reference ${uri} names no token; give --token LABEL.`);
  return decodeURIComponent(token);
}
