import type { KeyObject, X509Certificate } from 'node:crypto';
import { type CertificateAndKey, createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';

// The test PKI, made by our own code (@mcapi/keytool): a CA that the test server trusts for
// client certificates and the client trusts for the server, plus a second, unrelated CA.

export interface Identity {
  certificate: X509Certificate;
  privateKey: KeyObject;
  /** PEM of the certificate. */
  cert: string;
  /** Unencrypted PKCS#8 PEM of the key. */
  key: string;
}

export interface TestPki {
  ca: CertificateAndKey & { cert: string };
  otherCa: CertificateAndKey & { cert: string };
  /** Server certificate for localhost and 127.0.0.1. */
  server: Identity;
  client: Identity;
  /** A second client certificate from the same CA (rotation). */
  nextClient: Identity;
}

const dayMs = 86_400_000;

/** Issues a certificate for a fresh key. */
export async function issue(
  issuer: CertificateAndKey,
  options: { cn: string; usage: 'client' | 'server'; dnsNames?: string[]; ipAddresses?: string[]; notBefore?: Date; notAfter?: Date; validityDays?: number },
): Promise<Identity> {
  const { privateKey, publicKey } = await generateRsaKeyPair(2048);
  const certificate = issueCertificate({
    issuer,
    publicKey,
    subject: { CN: options.cn, O: 'mcapi tests' },
    usage: options.usage,
    ...(options.dnsNames !== undefined && { dnsNames: options.dnsNames }),
    ...(options.ipAddresses !== undefined && { ipAddresses: options.ipAddresses }),
    ...(options.notBefore !== undefined && { notBefore: options.notBefore }),
    ...(options.notAfter !== undefined && { notAfter: options.notAfter }),
    ...(options.validityDays !== undefined && { validityDays: options.validityDays }),
  });
  return { certificate, privateKey, cert: certificate.toString(), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** An expired client certificate of `issuer`. */
export function issueExpired(issuer: CertificateAndKey, cn = 'expired client'): Promise<Identity> {
  const now = Date.now();
  return issue(issuer, { cn, usage: 'client', notBefore: new Date(now - 40 * dayMs), notAfter: new Date(now - 10 * dayMs) });
}

export async function createTestPki(): Promise<TestPki> {
  const [ca, otherCa] = await Promise.all([
    createCertificateAuthority({ commonName: 'mcapi test CA' }),
    createCertificateAuthority({ commonName: 'unrelated CA' }),
  ]);
  const [server, client, nextClient] = await Promise.all([
    issue(ca, { cn: 'localhost', usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }),
    issue(ca, { cn: 'client one', usage: 'client' }),
    issue(ca, { cn: 'client two', usage: 'client' }),
  ]);
  return {
    ca: { ...ca, cert: ca.certificate.toString() },
    otherCa: { ...otherCa, cert: otherCa.certificate.toString() },
    server,
    client,
    nextClient,
  };
}
