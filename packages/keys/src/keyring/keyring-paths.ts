import type { KeyObject, X509Certificate } from 'node:crypto';
import type { KeyringEntry } from './manifest.js';

// Where each kind of file of an entry lives inside the keyring directory. One place, so the
// reader and the keytool that writes never disagree.

/** Relative path of an entry's private key (PKCS#8 PEM). */
export const privateKeyPath = (id: string): string => `keys/${id}.key.pem`;
/** Relative path of an entry's certificate (PEM, leaf first, then chain). */
export const certificatePath = (id: string): string => `certs/${id}.crt.pem`;
/** Relative path of an entry's CSR (PEM). */
export const csrPath = (id: string): string => `csr/${id}.csr.pem`;

/**
 * Encodes a private key for the keyring: PKCS#8 PEM, encrypted with AES-256-CBC under PBES2
 * (PBKDF2-HMAC-SHA256) when a passphrase is given.
 *
 * @example
 * ```ts
 * await writeFileAtomic(join(dir, privateKeyPath(id)), encodePrivateKeyPem(privateKey, passphrase));
 * ```
 */
export function encodePrivateKeyPem(privateKey: KeyObject, passphrase?: string): string {
  if (passphrase === undefined) return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** Encodes a certificate and its chain as one PEM file, leaf first. */
export function encodeCertificateChainPem(certificate: X509Certificate, chain: readonly X509Certificate[] = []): string {
  return `${[certificate, ...chain].map((item) => item.toString().trim()).join('\n')}\n`;
}

/** Certificate facts the manifest records, from the certificate itself. */
export function certificateFacts(certificate: X509Certificate): Pick<KeyringEntry, 'notBefore' | 'notAfter' | 'subject'> {
  return {
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    subject: certificate.subject.split('\n').reverse().join(','),
  };
}
