import { McapiError } from '@mcapi/errors';
import type { KeyEnvironment, KeyPurpose } from '@mcapi/keys';
import { createPendingKey, type PendingKeyResult } from '../keyring/create-pending-key.js';
import { type Pkcs11Target, createPendingTokenKey } from '../keyring/create-pending-token-key.js';
import { type KeyringOptions, nowOf, validateEnvironment, validateKeyringOptions, validatePurpose } from '../keyring/keyring-options.js';
import { type DistinguishedName, validateDistinguishedName } from '../x509/distinguished-name.js';
import { rsaKeySizes } from '../x509/generate-key-pair.js';

/** Options of {@link createKeyRequest}. */
export interface CsrOptions extends KeyringOptions {
  /** `signing`, `mtls` or `response-decryption` (request-encryption keys are Mastercard's). */
  purpose: KeyPurpose;
  /** Default `sandbox`. */
  environment?: KeyEnvironment;
  /** The subject; CN required unless `sandboxClientId` builds it. */
  subject?: Partial<DistinguishedName>;
  /**
   * Sandbox mTLS only: builds the CN Mastercard expects, `<epoch>-Client-MTF-<CID>` (use
   * `000000` when the project has no client id).
   */
  sandboxClientId?: string;
  /** RSA key size: 2048 (default), 3072 or 4096. */
  keySize?: number;
  /** Also write the CSR to this file (the keyring keeps its own copy). */
  out?: string;
  /** Replace an existing `out` file. */
  force?: boolean;
  /** Progress hook around key generation (the CLI shows a spinner). */
  onKeyGeneration?: (phase: 'start' | 'end') => void;
  /** Generate the key inside an HSM token instead of a file (needs `@mcapi/pkcs11`). */
  pkcs11?: Pkcs11Target;
}

/** What `csr` created. */
export interface CsrResult extends PendingKeyResult {
  /** What to do with the CSR on Mastercard Developers. */
  nextStep: string;
}

/**
 * `mcapi-keytool csr`: generates a new pending RSA key (native) and its PKCS#10 CSR
 * (sha256WithRSAEncryption) in the keyring.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for a bad purpose, environment, key size, subject or `pkcs11` target;
 * `ERR_FILE_EXISTS` when `out` exists and `force` is not set; the keyring's codes (`ERR_KEYRING_NOT_FOUND`,
 * `ERR_KEYRING_LOCKED`); with `pkcs11`, the token's (`ERR_PKCS11_MODULE`, `ERR_PKCS11_PIN`, `ERR_PKCS11_OPERATION`).
 *
 * @example
 * ```ts
 * const { id, csrFile } = await createKeyRequest({
 *   keyring: './.mcapi/keyring', purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'Example Ltd' },
 * });
 * ```
 */
export async function createKeyRequest(options: CsrOptions): Promise<CsrResult> {
  validateKeyringOptions(options, 'csr');
  const purpose = validatePurpose(options.purpose);
  const environment = validateEnvironment(options.environment);
  if (purpose === 'request-encryption') {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'purpose request-encryption has no private key of yours: download Mastercard\'s encryption certificate and run: mcapi-keytool import-cert FILE --purpose request-encryption',
    );
  }
  const keySize = options.keySize ?? 2048;
  if (!(rsaKeySizes as readonly number[]).includes(keySize)) {
    throw new McapiError('ERR_INVALID_OPTION', `keySize must be one of ${rsaKeySizes.join(', ')}.`);
  }
  const now = nowOf(options);
  const subject = { ...options.subject };
  if (options.sandboxClientId !== undefined) {
    if (purpose !== 'mtls' || environment !== 'sandbox') {
      throw new McapiError('ERR_INVALID_OPTION', 'sandboxClientId (--sandbox-cn) is only for mtls keys in the sandbox environment.');
    }
    if (subject.CN !== undefined) throw new McapiError('ERR_INVALID_OPTION', 'Give either subject.CN (--cn) or sandboxClientId (--sandbox-cn), not both.');
    subject.CN = sandboxCommonName(options.sandboxClientId, now);
  }
  const checked = validateDistinguishedName(subject as DistinguishedName, 'subject');
  if (options.pkcs11 !== undefined) {
    const target = options.pkcs11;
    for (const field of ['module', 'tokenLabel', 'pinEnv'] as const) {
      if (typeof target[field] !== 'string' || target[field] === '') {
        throw new McapiError('ERR_INVALID_OPTION', `pkcs11.${field} is required for a key in an HSM (--pkcs11 MODULE --token LABEL --pin-env VAR).`);
      }
    }
    const created = await createPendingTokenKey({
      dir: options.keyring,
      purpose,
      environment,
      subject: checked,
      keySize,
      now,
      force: options.force === true,
      pkcs11: target,
      ...(options.out !== undefined && { out: options.out }),
      ...(options.onKeyGeneration && { onKeyGeneration: options.onKeyGeneration }),
    });
    return { ...created, nextStep: nextStepFor(purpose, created.outFile ?? created.csrFile) };
  }
  const created = await createPendingKey({
    dir: options.keyring,
    purpose,
    environment,
    subject: checked,
    keySize,
    passphrase: options.passphrase,
    now,
    force: options.force === true,
    ...(options.out !== undefined && { out: options.out }),
    ...(options.onKeyGeneration && { onKeyGeneration: options.onKeyGeneration }),
  });
  return { ...created, nextStep: nextStepFor(purpose, created.outFile ?? created.csrFile) };
}

/**
 * The sandbox mTLS CN pattern `<epoch seconds>-Client-MTF-<CID>` (mastercard-security.md §6),
 * at most 64 characters.
 *
 * @example
 * ```ts
 * sandboxCommonName('000000', new Date('2026-11-25T00:00:00Z')); // '1795564800-Client-MTF-000000'
 * ```
 */
export function sandboxCommonName(clientId: string, now: Date): string {
  if (typeof clientId !== 'string' || !/^[A-Za-z0-9_-]+$/.test(clientId)) {
    throw new McapiError('ERR_INVALID_OPTION', 'sandboxClientId (--sandbox-cn) must be letters, digits, - or _ (use 000000 when you have no client id).');
  }
  const cn = `${Math.floor(now.getTime() / 1000)}-Client-MTF-${clientId}`;
  if (cn.length > 64) {
    throw new McapiError('ERR_INVALID_OPTION', `The sandbox CN "${cn}" is longer than 64 characters; shorten the client id.`);
  }
  return cn;
}

/** The dashboard step after a CSR, per purpose. */
export function nextStepFor(purpose: KeyPurpose, csrFile: string): string {
  const where: Record<KeyPurpose, string> = {
    signing: 'your project on Mastercard Developers as a new OAuth signing key (note the consumer key it shows)',
    mtls: 'your project on Mastercard Developers as the mTLS client certificate request',
    'response-decryption': 'your project on Mastercard Developers as the Mastercard encryption key request',
    'request-encryption': 'Mastercard Developers',
  };
  const consumerKey = purpose === 'signing' ? ' --consumer-key KEY' : '';
  return `Upload ${csrFile} in ${where[purpose]}, download the certificate it returns, then run: mcapi-keytool import-cert CERTIFICATE.pem${consumerKey}`;
}
