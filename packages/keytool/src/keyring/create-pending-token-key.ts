import { McapiError } from '@mcapi/errors';
import { type KeyEnvironment, type KeyPurpose, publicKeyFingerprint } from '@mcapi/keys';
import { createCsrWithExternalKey } from '../x509/csr.js';
import type { DistinguishedName } from '../x509/distinguished-name.js';
import { newKeyId } from './key-id.js';
import { type PendingKeyResult, recordPendingKey, refuseExistingOut } from './csr-output.js';

/** Where `csr --pkcs11` generates the key: a token of a PKCS#11 module. */
export interface Pkcs11Target {
  /** The vendor's PKCS#11 module (Luna: /usr/safenet/lunaclient/lib/libCryptoki2_64.so). */
  module: string;
  tokenLabel: string;
  /** Name of the environment variable holding the user PIN (never the PIN itself). */
  pinEnv: string;
  /** CKA_LABEL of the new key. Default: the keyring id. */
  keyLabel?: string;
}

export interface PendingTokenKeyRequest {
  dir: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  subject: DistinguishedName;
  keySize: number;
  now: Date;
  out?: string;
  force: boolean;
  pkcs11: Pkcs11Target;
  onKeyGeneration?: (phase: 'start' | 'end') => void;
}

/**
 * New pending key generated inside an HSM token, and its CSR signed there: the keyring records
 * the key's PKCS#11 URI (`privateKeyRef`) instead of a key file. `@mcapi/pkcs11` (and its native
 * binding) is loaded only here, so keytool without HSMs does not need it.
 */
export async function createPendingTokenKey(request: PendingTokenKeyRequest): Promise<PendingKeyResult> {
  await refuseExistingOut(request.out, request.force);
  let pkcs11: typeof import('@mcapi/pkcs11');
  try {
    pkcs11 = await import('@mcapi/pkcs11');
  } catch (cause) {
    throw new McapiError('ERR_PKCS11_MODULE', 'csr --pkcs11 needs the @mcapi/pkcs11 package: npm install @mcapi/pkcs11', { cause });
  }
  const id = newKeyId(request.purpose, request.environment, request.now);
  const hsm = await pkcs11.openPkcs11({ module: request.pkcs11.module, tokenLabel: request.pkcs11.tokenLabel, pinEnv: request.pkcs11.pinEnv });
  let csr: string;
  let reference: string;
  let fingerprint: string;
  try {
    request.onKeyGeneration?.('start');
    let key: Awaited<ReturnType<typeof hsm.generateKeyPair>>;
    try {
      key = await hsm.generateKeyPair({ label: request.pkcs11.keyLabel ?? id, type: 'rsa', modulusBits: request.keySize });
    } finally {
      request.onKeyGeneration?.('end');
    }
    csr = await createCsrWithExternalKey({ privateKey: key, subject: request.subject });
    reference = key.reference;
    fingerprint = publicKeyFingerprint(key.publicKey);
  } finally {
    await hsm.close();
  }
  // The key itself stays in the token; the keyring records where (privateKeyRef) and stages the
  // CSR in the same transaction as the manifest, like a file key.
  return recordPendingKey({ ...request, id, csr, publicKeyFingerprint: fingerprint }, async () => ({ privateKeyRef: reference }));
}
