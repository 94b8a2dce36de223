// Key provisioning against the sandbox dashboard, the way a user does it with mcapi-keytool on
// Mastercard Developers: CSRs in the keyring, certificates from the dashboard, import, activate.
// Shared by the demo and the integration tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Keyring, openKeyring } from '@mcapi/keys';
import { activateKey, createKeyRequest, importCertificate, initKeyringDirectory, rotateKey } from '@mcapi/keytool';
import type { Sandbox } from '@mcapi/sandbox';

/** What {@link provisionKeyring} set up. */
export interface ProvisionedKeyring {
  dir: string;
  keyring: Keyring;
  consumerKey: string;
  /** Dashboard id of the active response-decryption key. */
  responseKeyDashboardId: string;
}

const subject = { CN: 'mcapi demo', O: 'mcapi' };

async function writeIncoming(dir: string, name: string, pem: string): Promise<string> {
  const incoming = join(dir, '..', 'incoming');
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  const file = join(incoming, name);
  await writeFile(file, pem, { mode: 0o600 });
  return file;
}

/**
 * Creates a keyring in `dir` (which must not exist) with active mtls, signing,
 * request-encryption and response-decryption keys issued by the sandbox dashboard.
 */
export async function provisionKeyring(sandbox: Sandbox, dir: string): Promise<ProvisionedKeyring> {
  await initKeyringDirectory({ keyring: dir });
  const [mtls, signing, response] = await Promise.all([
    createKeyRequest({ keyring: dir, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } }),
    createKeyRequest({ keyring: dir, purpose: 'signing', subject }),
    createKeyRequest({ keyring: dir, purpose: 'response-decryption', subject }),
  ]).catch(async () => {
    // Parallel generation may contend on the keyring lock; fall back to one after another.
    return [
      await createKeyRequest({ keyring: dir, purpose: 'mtls', sandboxClientId: '000000', subject: { O: 'mcapi' } }),
      await createKeyRequest({ keyring: dir, purpose: 'signing', subject }),
      await createKeyRequest({ keyring: dir, purpose: 'response-decryption', subject }),
    ];
  });

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
  for (const id of [mtls.id, signing.id, response.id, encryption.id]) {
    const summary = id === encryption.id ? encryption : undefined;
    if (summary?.status === 'active') continue;
    await activateKey({ keyring: dir, id });
  }
  if (!responseIssued.active) sandbox.dashboard.activateResponseDecryptionKey(responseIssued.id);
  return {
    dir,
    keyring: await openKeyring(dir),
    consumerKey: signingIssued.consumerKey,
    responseKeyDashboardId: responseIssued.id,
  };
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
