import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyFingerprint } from '@mcapi/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateAndKey,
  createCertificateAuthority,
  createCsr,
  generateRsaKeyPair,
  issueCertificate,
} from '../src/index.js';
import { parseCsr } from '../src/x509/csr.js';
import { openssl, opensslAll, temporaryDirectory } from './helpers.js';

const { dir, cleanup } = temporaryDirectory();
afterAll(cleanup);
let ca: CertificateAndKey;
beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'mcapi test CA', validityDays: 30 });
  writeFileSync(join(dir, 'ca.pem'), ca.certificate.toString());
});

describe('createCsr', () => {
  it('makes a PKCS#10 request openssl verifies, signed with sha256WithRSAEncryption, with the subject asked for', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const pem = createCsr({ privateKey, subject: { CN: '1700000000-Client-MTF-000000', O: 'Société Exemple', OU: 'Payments', C: 'FR', L: 'Paris', ST: 'IDF' } });
    const file = join(dir, 'a.csr.pem');
    writeFileSync(file, pem);
    const text = opensslAll(['req', '-in', file, '-noout', '-verify', '-text', '-nameopt', 'utf8,sep_comma_plus_space']);
    expect(text).toMatch(/verify OK/i);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Subject: C=FR, ST=IDF, L=Paris, O=Société Exemple, OU=Payments, CN=1700000000-Client-MTF-000000');
    // Non-ASCII company names need UTF8String; C stays PrintableString (X.520).
    const asn1 = openssl(['asn1parse', '-in', file]);
    expect(asn1).toMatch(/UTF8STRING\s+:Soci/);
    expect(asn1).toMatch(/PRINTABLESTRING\s+:FR/);
    const opensslKey = openssl(['req', '-in', file, '-noout', '-pubkey']);
    expect(publicKeyFingerprint(createPublicKey(opensslKey))).toBe(publicKeyFingerprint(privateKey));
  });

  it('parseCsr reads back the subject and public key and detects a tampered request', async () => {
    const { privateKey } = await generateRsaKeyPair(2048);
    const pem = createCsr({ privateKey, subject: { CN: 'svc', O: 'Example' } });
    const parsed = parseCsr(pem);
    expect(parsed).toMatchObject({ subject: { CN: 'svc', O: 'Example' }, subjectText: 'CN=svc,O=Example', verified: true, signatureAlgorithm: 'sha256WithRSAEncryption' });
    expect(publicKeyFingerprint(parsed.publicKey)).toBe(publicKeyFingerprint(privateKey));

    // Swap the subject CN in the DER without re-signing: the signature must no longer verify.
    expect(parseCsr(tamper(pem, 'svc', 'svd'))).toMatchObject({ subject: { CN: 'svd' }, verified: false });
  });

  it('reads a request made by openssl', () => {
    const keyFile = join(dir, 'o.key');
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
    const pem = openssl(['req', '-new', '-key', keyFile, '-subj', '/C=US/O=Acme/CN=acme-client', '-sha256']);
    expect(parseCsr(pem)).toMatchObject({ subject: { C: 'US', O: 'Acme', CN: 'acme-client' }, verified: true });
  });

  it('rejects non-RSA keys, missing CN, bad country codes and non-CSR input with typed errors', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => createCsr({ privateKey: ec, subject: { CN: 'x' } })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    expect(() => createCsr({ privateKey: rsa, subject: { O: 'x' } as never })).toThrow(/subject\.CN is required/);
    expect(() => createCsr({ privateKey: rsa, subject: { CN: 'x', C: 'usa' } })).toThrow(/subject\.C/);
    expect(() => createCsr({ privateKey: rsa, subject: { CN: 'x'.repeat(65) } })).toThrow(/longer than 64/);
    expect(() => createCsr({ privateKey: createPublicKey(rsa), subject: { CN: 'x' } })).toThrow(/privateKey must be a private KeyObject/);
    expect(() => parseCsr('hello')).toThrow(expect.objectContaining({ code: 'ERR_CSR_INVALID' }));
  });
});

describe('createCertificateAuthority', () => {
  it('is a self-signed CA openssl accepts as a trust anchor', () => {
    const text = openssl(['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text']);
    expect(text).toContain('CA:TRUE');
    expect(text).toMatch(/Certificate Sign/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(ca.certificate.checkPrivateKey(ca.privateKey)).toBe(true);
    expect(ca.certificate.verify(ca.certificate.publicKey)).toBe(true);
    expect(openssl(['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'ca.pem')])).toContain('OK');
  });

  it('names the bad option', async () => {
    await expect(createCertificateAuthority({ commonName: '' })).rejects.toThrow('commonName must be 1 to 64 characters.');
    await expect(createCertificateAuthority({ commonName: 'ok', organization: 'x'.repeat(65) })).rejects.toThrow(/organization must be/);
    await expect(createCertificateAuthority({ commonName: 'ok', keySize: 1024 as never })).rejects.toThrow(/keySize must be one of/);
  });
});

describe('issueCertificate', () => {
  it('issues a server certificate with localhost and 127.0.0.1 SANs that openssl verifies against the CA', async () => {
    const { publicKey } = await generateRsaKeyPair();
    const certificate = issueCertificate({ issuer: ca, publicKey, subject: { CN: 'localhost' }, usage: 'server' });
    const file = join(dir, 'server.pem');
    writeFileSync(file, certificate.toString());
    expect(openssl(['verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslserver', file])).toContain(': OK');
    const text = openssl(['x509', '-in', file, '-noout', '-text']);
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toContain('DNS:localhost, IP Address:127.0.0.1');
    expect(text).toContain('CA:FALSE');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkIssued(ca.certificate)).toBe(true);
  });

  it('issues a client certificate from a CSR, keeping its subject and key, and honours explicit dates and serial', async () => {
    const { privateKey } = await generateRsaKeyPair();
    const csr = createCsr({ privateKey, subject: { CN: 'client-1', O: 'Acme' } });
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    const notAfter = new Date(notBefore.getTime() + 86_400_000);
    const certificate = issueCertificate({ issuer: ca, csr, usage: 'client', notBefore, notAfter, serialNumber: '0abc' });
    const file = join(dir, 'client.pem');
    writeFileSync(file, certificate.toString());
    expect(openssl(['verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslclient', file])).toContain(': OK');
    expect(openssl(['x509', '-in', file, '-noout', '-text'])).toContain('TLS Web Client Authentication');
    expect(certificate.checkPrivateKey(privateKey)).toBe(true);
    expect(certificate.subject).toBe('O=Acme\nCN=client-1');
    expect(certificate.serialNumber).toBe('0ABC');
    expect(new Date(certificate.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(certificate.validTo).toISOString()).toBe(notAfter.toISOString());
  });

  it('chains to a CA made by openssl (issuer name and key identifier as openssl wrote them)', async () => {
    const caKey = join(dir, 'oca.key');
    const caPem = join(dir, 'oca.pem');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caPem, '-days', '2', '-subj', '/C=US/O=Ünïcode Org/CN=openssl CA', '-utf8']);
    const { loadPrivateKey } = await import('@mcapi/keys');
    const issuer = { certificate: new X509Certificate(openssl(['x509', '-in', caPem])), privateKey: await loadPrivateKey({ path: caKey }, { onWarning: () => {} }) };
    const { publicKey } = await generateRsaKeyPair();
    const certificate = issueCertificate({ issuer, publicKey, subject: { CN: 'enc' }, usage: 'encryption' });
    const file = join(dir, 'enc.pem');
    writeFileSync(file, certificate.toString());
    expect(openssl(['verify', '-CAfile', caPem, file])).toContain(': OK');
    expect(certificate.issuer).toBe(issuer.certificate.subject);
    expect(openssl(['x509', '-in', file, '-noout', '-text'])).toMatch(/Key Encipherment, Data Encipherment/);
  });

  it('refuses a tampered CSR, a mismatched issuer key and bad options', async () => {
    const { privateKey, publicKey } = await generateRsaKeyPair();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => issueCertificate({ issuer: { certificate: ca.certificate, privateKey: other }, publicKey, subject: { CN: 'x' }, usage: 'client' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }),
    );
    expect(() => issueCertificate({ issuer: ca, publicKey, usage: 'client' })).toThrow(/subject is required/);
    expect(() => issueCertificate({ issuer: ca, publicKey, subject: { CN: 'x' }, usage: 'other' as never })).toThrow(/usage must be one of/);
    expect(() => issueCertificate({ issuer: ca, publicKey, subject: { CN: 'x' }, usage: 'server', ipAddresses: ['300.1.1.1'] })).toThrow(/ipAddresses/);
    expect(() => issueCertificate({ issuer: ca, publicKey, subject: { CN: 'x' }, usage: 'server', validityDays: 1, notAfter: new Date() })).toThrow(/either validityDays/);
    const csr = tamper(createCsr({ privateKey, subject: { CN: 'abc' } }), 'abc', 'abd');
    expect(() => issueCertificate({ issuer: ca, csr, usage: 'client' })).toThrow(expect.objectContaining({ code: 'ERR_CSR_INVALID' }));
  });
});

/** Replaces bytes inside a PEM CSR's DER without re-signing it. */
function tamper(pem: string, from: string, to: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const at = der.indexOf(from);
  expect(at).toBeGreaterThan(0);
  der.write(to, at);
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}
