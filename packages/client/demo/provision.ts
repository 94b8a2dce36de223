// Key provisioning against the sandbox dashboard, the way a user does it with mcapi-keytool on
// Mastercard Developers: CSRs in the keyring, certificates from the dashboard, import, activate.
// Shared by the demo and the integration tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Keyring, openKeyring, readKeyringManifest } from '@mcapi/keys';
import { activateKey, createKeyRequest, importCertificate, initKeyringDirectory, rotateKey } from '@mcapi/keytool';
import type { Sandbox } from '@mcapi/sandbox';
import type { ClientOptions } from '../src/index.js';

/** What {@link provisionKeyring} set up. */
export interface ProvisionedKeyring {
  dir: string;
  keyring: Keyring;
  consumerKey: string;
  /** Dashboard id of the active response-decryption key. */
  responseKeyDashboardId: string;
}

const subject = { CN: 'mcapi demo', O: 'mcapi' };

/** Writes a certificate where an operator would save the download from the dashboard. */
export async function writeIncoming(dir: string, name: string, pem: string): Promise<string> {
  const incoming = join(dir, '..', 'incoming');
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  const file = join(incoming, name);
  await writeFile(file, pem, { mode: 0o600 });
  return file;
}

/** The pending keys {@link createKeyRequests} made. */
export interface KeyRequests {
  mtls: { id: string; csr: string };
  signing: { id: string; csr: string };
  response: { id: string; csr: string };
}

/** Step 1 (mcapi-keytool init + csr): a keyring in `dir` (must not exist) and three CSRs. */
export async function createKeyRequests(dir: string): Promise<KeyRequests> {
  await initKeyringDirectory({ keyring: dir });
  // One after another: each command takes the keyring lock for its manifest update anyway.
  const mtls = await createKeyRequest({ keyring: dir, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } });
  const signing = await createKeyRequest({ keyring: dir, purpose: 'signing', subject });
  const response = await createKeyRequest({ keyring: dir, purpose: 'response-decryption', subject });
  return { mtls, signing, response };
}

/**
 * Step 2 (dashboard + mcapi-keytool import-cert + activate): the dashboard signs the mTLS and
 * response-decryption CSRs and registers the signing key (consumer key back); the certificates
 * and Mastercard's request-encryption certificate are imported and every key activated.
 */
export async function installCertificates(sandbox: Sandbox, dir: string, requests: KeyRequests): Promise<ProvisionedKeyring> {
  const { mtls, signing, response } = requests;
  const mtlsIssued = sandbox.dashboard.signCsr({ csr: mtls.csr, purpose: 'mtls' });
  await importCertificate({ keyring: dir, file: await writeIncoming(dir, 'mtls.pem', mtlsIssued.certificate + mtlsIssued.chain) });
  const signingIssued = sandbox.dashboard.registerSigningKey({ csr: signing.csr });
  await importCertificate({
    keyring: dir,
    file: await writeIncoming(dir, 'signing.pem', signingIssued.certificate),
    consumerKey: signingIssued.consumerKey,
  });
  const responseIssued = sandbox.dashboard.signCsr({ csr: response.csr, purpose: 'response-decryption' });
  await importCertificate({ keyring: dir, file: await writeIncoming(dir, 'response.pem', responseIssued.certificate) });
  const encryption = await importCertificate({
    keyring: dir,
    file: await writeIncoming(dir, 'mastercard-encryption.pem', sandbox.requestEncryptionCertificate),
    purpose: 'request-encryption',
  });
  for (const id of [mtls.id, signing.id, response.id]) await activateKey({ keyring: dir, id });
  if (encryption.status !== 'active') await activateKey({ keyring: dir, id: encryption.id });
  if (!responseIssued.active) sandbox.dashboard.activateResponseDecryptionKey(responseIssued.id);
  return {
    dir,
    keyring: await openKeyring(dir),
    consumerKey: signingIssued.consumerKey,
    responseKeyDashboardId: responseIssued.id,
  };
}

/** Both steps: a keyring in `dir` with every key active, issued by the sandbox dashboard. */
export async function provisionKeyring(sandbox: Sandbox, dir: string): Promise<ProvisionedKeyring> {
  return installCertificates(sandbox, dir, await createKeyRequests(dir));
}

/**
 * Rotates the response-decryption key without downtime: new key and CSR (keytool rotate), the
 * dashboard signs it, import, activate in the keyring (the old key becomes `previous` and keeps
 * decrypting), reload the client's keyring, and only then switch the dashboard to the new key.
 */
export async function rotateResponseKey(sandbox: Sandbox, provisioned: ProvisionedKeyring): Promise<{ oldKid: string; newKid: string }> {
  const { dir, keyring } = provisioned;
  const oldKid = keyring.active('response-decryption', 'sandbox').entry.publicKeyFingerprint;
  const rotated = await rotateKey({ keyring: dir, purpose: 'response-decryption' });
  const issued = sandbox.dashboard.signCsr({ csr: rotated.csr, purpose: 'response-decryption' });
  await importCertificate({ keyring: dir, file: await writeIncoming(dir, `response-${rotated.id}.pem`, issued.certificate) });
  await activateKey({ keyring: dir, id: rotated.id });
  await keyring.reload();
  sandbox.dashboard.activateResponseDecryptionKey(issued.id);
  provisioned.responseKeyDashboardId = issued.id;
  return { oldKid, newKid: rotated.publicKeyFingerprint };
}

/** A key a rotation put in place: its keyring id and how the sandbox's request log names it. */
export interface RotatedKey {
  id: string;
  /** The request log's `credential` (certificate fingerprint, consumer key) or `requestKid`. */
  seenAs: string;
  /** The same for the key it replaced. */
  replacedSeenAs: string;
  /** Dashboard id of the new certificate or signing key (to revoke the old one by, later). */
  dashboardId: string;
}

/**
 * Renews the mTLS client certificate the way an operator does (keytool rotate → the dashboard
 * signs the CSR → import-cert → activate). The running service learns of it by its keyring's
 * reload (explicit, or a watched keyring's own). The old certificate stays valid on the dashboard.
 */
export async function rotateMtlsCertificate(sandbox: Sandbox, dir: string): Promise<RotatedKey> {
  const replaced = await activeEntry(dir, 'mtls');
  const rotated = await rotateKey({ keyring: dir, purpose: 'mtls' });
  const issued = sandbox.dashboard.signCsr({ csr: rotated.csr, purpose: 'mtls' });
  await importCertificate({ keyring: dir, file: await writeIncoming(dir, `mtls-${rotated.id}.pem`, issued.certificate + issued.chain) });
  await activateKey({ keyring: dir, id: rotated.id });
  return { id: rotated.id, seenAs: issued.certificateFingerprint, replacedSeenAs: replaced.certificateFingerprint ?? '', dashboardId: issued.id };
}

/**
 * Renews the OAuth 1.0a signing key: keytool rotate → the dashboard registers the CSR and gives
 * its consumer key → import-cert with that consumer key → activate.
 */
export async function rotateSigningKey(sandbox: Sandbox, dir: string): Promise<RotatedKey> {
  const replaced = await activeEntry(dir, 'signing');
  const rotated = await rotateKey({ keyring: dir, purpose: 'signing' });
  const issued = sandbox.dashboard.registerSigningKey({ csr: rotated.csr });
  await importCertificate({ keyring: dir, file: await writeIncoming(dir, `signing-${rotated.id}.pem`, issued.certificate), consumerKey: issued.consumerKey });
  await activateKey({ keyring: dir, id: rotated.id });
  return { id: rotated.id, seenAs: issued.consumerKey, replacedSeenAs: replaced.consumerKey ?? '', dashboardId: issued.id };
}

/**
 * Mastercard renews its request-encryption certificate (both keep decrypting for a while); the
 * operator imports the new one (import-cert --purpose request-encryption) and activates it.
 */
export async function renewRequestEncryptionCertificate(sandbox: Sandbox, dir: string): Promise<RotatedKey> {
  const replaced = await activeEntry(dir, 'request-encryption');
  const renewed = await sandbox.dashboard.renewRequestEncryptionCertificate();
  const imported = await importCertificate({
    keyring: dir,
    file: await writeIncoming(dir, `mastercard-encryption-${renewed.fingerprint.slice(0, 12)}.pem`, renewed.certificate),
    purpose: 'request-encryption',
  });
  await activateKey({ keyring: dir, id: imported.id });
  return { id: imported.id, seenAs: renewed.fingerprint, replacedSeenAs: replaced.publicKeyFingerprint, dashboardId: '' };
}

async function activeEntry(dir: string, purpose: 'mtls' | 'signing' | 'request-encryption') {
  const { keys } = await readKeyringManifest(dir);
  const entry = keys.find((key) => key.purpose === purpose && key.environment === 'sandbox' && key.status === 'active');
  if (entry === undefined) throw new Error(`no active ${purpose} key to rotate in ${dir}`);
  return entry;
}

/** Client options for the local sandbox: its URLs and CA, the keyring, the sandbox partner id. */
export function sandboxClientOptions(sandbox: Sandbox, keyring: Keyring): ClientOptions {
  return {
    environment: {
      benefitAllocation: { baseUrl: sandbox.urls.benefitAllocation },
      ...(sandbox.urls.crossBorder ? { crossBorder: { baseUrl: sandbox.urls.crossBorder } } : {}),
    },
    keyring,
    ca: sandbox.caCertificate,
    crossBorder: { partnerId: 'SANDBOX_1234567' },
  };
}
