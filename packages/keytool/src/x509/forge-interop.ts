import { type KeyObject, X509Certificate, createPublicKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import forge from 'node-forge';

// node-forge only builds and signs the ASN.1 here (Node's crypto cannot make CSRs or sign
// certificates); keys always come from Node and cross over as PEM, so forge never generates or
// parses key material it would have to keep in sync with OpenSSL.

/** A Node RSA private key as a forge key, for signing. */
export function toForgePrivateKey(privateKey: KeyObject, option: string): forge.pki.rsa.PrivateKey {
  assertRsa(privateKey, 'private', option);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
}

/** A Node RSA public (or private) key's public half as a forge key. */
export function toForgePublicKey(key: KeyObject, option: string): forge.pki.rsa.PublicKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  assertRsa(publicKey, 'public', option);
  return forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
}

/** A forge public key back as a Node `KeyObject`. */
export function fromForgePublicKey(publicKey: forge.pki.PublicKey): KeyObject {
  return createPublicKey(forge.pki.publicKeyToPem(publicKey));
}

/** A Node certificate as a forge certificate (RSA only: forge models no other key type). */
export function toForgeCertificate(certificate: X509Certificate, option: string): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromPem(certificate.toString());
  } catch (cause) {
    throw new McapiError('ERR_KEY_UNSUPPORTED', `${option} must be an RSA certificate.`, { cause });
  }
}

/** A signed forge certificate as a Node `X509Certificate`. */
export function fromForgeCertificate(certificate: forge.pki.Certificate): X509Certificate {
  return new X509Certificate(forge.pki.certificateToPem(certificate));
}

/** SHA-256, the only digest this package signs with (forge's default is SHA-1). */
export const sha256 = (): forge.md.MessageDigest => forge.md.sha256.create();

function assertRsa(key: KeyObject, type: 'private' | 'public', option: string): void {
  if (typeof key !== 'object' || key === null || key.type !== type) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be a ${type} KeyObject (node:crypto).`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new McapiError(
      'ERR_KEY_UNSUPPORTED',
      `${option} is a ${String(key.asymmetricKeyType)} key; Mastercard CSRs and certificates here need RSA keys.`,
    );
  }
}
