import { type KeyObject, X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type KeyringEntry,
  initKeyring,
  openKeyring,
  publicKeyFingerprint,
  readKeyringManifest,
  updateKeyring,
  withFileLock,
  writeFileAtomic,
} from '../src/index.js';
import { encodePrivateKeyPem, privateKeyPath } from '../src/keyring/keyring-paths.js';
import { parseKeyringManifest } from '../src/keyring/manifest.js';
import { temporaryDirectory, vector } from './helpers.js';

const vectorKey = createPrivateKey(readFileSync(vector('test_key.pkcs8.pem')));
const vectorCertificate = new X509Certificate(readFileSync(vector('test_certificate.pem')));
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

async function newKeyring(): Promise<string> {
  const { dir, cleanup } = temporaryDirectory();
  cleanups.push(cleanup);
  const keyring = join(dir, 'keyring');
  await initKeyring(keyring);
  return keyring;
}

async function addKey(
  dir: string,
  entry: Partial<KeyringEntry> & Pick<KeyringEntry, 'id' | 'purpose' | 'status'>,
  key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  passphrase?: string,
  certificate?: X509Certificate,
) {
  await updateKeyring(dir, async (manifest, files) => {
    manifest.keys.push({
      environment: 'sandbox',
      createdAt: new Date().toISOString(),
      privateKeyFile: await files.writePrivateKey(entry.id, key, passphrase),
      ...(certificate !== undefined && { certificateFile: await files.writeCertificate(entry.id, certificate) }),
      publicKeyFingerprint: publicKeyFingerprint(key),
      ...(passphrase !== undefined && { privateKeyEncrypted: true }),
      ...entry,
    });
    return manifest;
  });
  return key;
}

describe('keyring', () => {
  it('init makes a 0700 directory with a 0600 manifest and refuses to run twice', async () => {
    const dir = await newKeyring();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'keyring.json')).mode & 0o777).toBe(0o600);
    expect(await readKeyringManifest(dir)).toEqual({ version: 1, keys: [] });
    await expect(initKeyring(dir)).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' });
  });

  it('serves active keys and every in-use decryption key by kid', async () => {
    const dir = await newKeyring();
    const older = await addKey(dir, { id: 'rd-old', purpose: 'response-decryption', status: 'previous' });
    const newer = await addKey(dir, { id: 'rd-new', purpose: 'response-decryption', status: 'active' });
    await addKey(dir, { id: 'rd-gone', purpose: 'response-decryption', status: 'retired' });
    await addKey(dir, { id: 'mtls-1', purpose: 'mtls', status: 'active' }, vectorKey, undefined, vectorCertificate);

    const keyring = await openKeyring(dir);
    const kids = keyring.decryptionKeys('sandbox');
    expect([...kids.keys()].sort()).toEqual([publicKeyFingerprint(older), publicKeyFingerprint(newer)].sort());
    expect(keyring.decryptionKeys('production').size).toBe(0);
    const mtls = keyring.active('mtls', 'sandbox');
    expect(mtls.certificate?.fingerprint256).toBe(vectorCertificate.fingerprint256);
    expect(mtls.privateKey && publicKeyFingerprint(mtls.privateKey as KeyObject)).toBe(publicKeyFingerprint(vectorCertificate));
    expect(() => keyring.active('signing', 'sandbox')).toThrow(expect.objectContaining({ code: 'ERR_KEYRING_ENTRY' }));

    // retire the old key; reload sees only the new one
    await updateKeyring(dir, (manifest) => {
      for (const key of manifest.keys) if (key.id === 'rd-old') key.status = 'retired';
      return manifest;
    });
    await keyring.reload();
    expect([...keyring.decryptionKeys('sandbox').keys()]).toEqual([publicKeyFingerprint(newer)]);
  });

  it('reads keys encrypted at rest with the passphrase, and names the fix without it', async () => {
    const dir = await newKeyring();
    await addKey(dir, { id: 'sig-1', purpose: 'signing', status: 'active', consumerKey: 'abc!123' }, undefined, 's3cret pass');
    expect(readFileSync(join(dir, privateKeyPath('sig-1')), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    const keyring = await openKeyring(dir, { passphrase: 's3cret pass' });
    expect(keyring.active('signing', 'sandbox').entry.consumerKey).toBe('abc!123');
    await expect(openKeyring(dir)).rejects.toMatchObject({ code: 'ERR_KEY_PASSPHRASE', message: expect.stringContaining('sig-1') });
  });

  it('detects a key file that does not match the manifest fingerprint', async () => {
    const dir = await newKeyring();
    await addKey(dir, { id: 'rd-1', purpose: 'response-decryption', status: 'active' });
    writeFileSync(join(dir, privateKeyPath('rd-1')), encodePrivateKeyPem(vectorKey), { mode: 0o600 });
    await expect(openKeyring(dir)).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
  });

  it('validates the manifest on read and on write', async () => {
    const base = { id: 'a', purpose: 'mtls', environment: 'sandbox', status: 'active', createdAt: '2026-01-01T00:00:00Z', privateKeyFile: 'keys/a.key.pem', publicKeyFingerprint: 'a'.repeat(64) };
    expect(() => parseKeyringManifest({ version: 1, keys: [base] })).not.toThrow();
    const bad = (patch: Record<string, unknown>) => () => parseKeyringManifest({ version: 1, keys: [{ ...base, ...patch }] });
    expect(bad({ purpose: 'other' })).toThrow(/purpose/);
    expect(bad({ privateKeyFile: '../../etc/passwd' })).toThrow(/relative path/);
    expect(bad({ privateKeyFile: '/etc/passwd' })).toThrow(/relative path/);
    expect(bad({ publicKeyFingerprint: 'XYZ' })).toThrow(/publicKeyFingerprint/);
    expect(bad({ createdAt: 'yesterday' })).toThrow(/createdAt/);
    expect(() => parseKeyringManifest({ version: 2, keys: [] })).toThrow(/version/);
    expect(() => parseKeyringManifest({ version: 1, keys: [base, { ...base, id: 'b' }] })).toThrow(/two active/);
    expect(() => parseKeyringManifest({ version: 1, keys: [base, base] })).toThrow(/duplicate/);

    const dir = await newKeyring();
    await expect(
      updateKeyring(dir, (manifest) => {
        manifest.keys.push({ ...(base as KeyringEntry), id: '../x' });
        return manifest;
      }),
    ).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
    expect((await readKeyringManifest(dir)).keys).toEqual([]);
    writeFileSync(join(dir, 'keyring.json'), '{ not json');
    await expect(readKeyringManifest(dir)).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
  });

  it('writeFileAtomic never overwrites without permission and writes 0600', async () => {
    const dir = await newKeyring();
    const path = join(dir, 'keys', 'x.pem');
    await writeFileAtomic(path, 'one');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(writeFileAtomic(path, 'two')).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' });
    expect(readFileSync(path, 'utf8')).toBe('one');
    await writeFileAtomic(path, 'three', { overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe('three');
  });

  it('the lock serialises concurrent updates and takes over a dead owner', async () => {
    const dir = await newKeyring();
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        updateKeyring(
          dir,
          async (manifest) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
          manifest.keys.push({
            id: `k${index}`,
            purpose: 'request-encryption',
            environment: 'sandbox',
            status: 'pending',
            createdAt: new Date().toISOString(),
            certificateFile: `certs/k${index}.pem`,
            publicKeyFingerprint: 'b'.repeat(64),
          });
          return manifest;
          },
          { timeoutMs: 120_000 }, // serialisation is under test, not speed (a loaded 2-core CI runner)
        ),
      ),
    );
    expect((await readKeyringManifest(dir)).keys).toHaveLength(20);
    // a lock left by a process that no longer exists
    const lock = join(dir, 'keyring.lock');
    writeFileSync(lock, '999999999');
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 500 })).resolves.toBe('ran');
    // a live owner (this process) makes others wait, then time out
    writeFileSync(lock, String(process.pid));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_KEYRING_LOCKED' });
  });

  it('a transaction stages files before the manifest, discards them when it fails, and never clobbers', async () => {
    const dir = await newKeyring();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const entry = (id: string, privateKeyFile: string): KeyringEntry => ({
      id,
      purpose: 'signing',
      environment: 'sandbox',
      status: 'pending',
      createdAt: new Date().toISOString(),
      privateKeyFile,
      publicKeyFingerprint: publicKeyFingerprint(key),
    });
    // A failing change leaves neither the manifest nor the staged file behind.
    let staged = '';
    await expect(
      updateKeyring(dir, async (manifest, files) => {
        staged = await files.writePrivateKey('sig-1', key);
        expect(existsSync(join(dir, staged))).toBe(true); // written before the manifest
        manifest.keys.push({ ...entry('sig-1', staged), purpose: 'nonsense' as never });
      }),
    ).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
    expect(existsSync(join(dir, staged))).toBe(false);
    expect((await readKeyringManifest(dir)).keys).toEqual([]);

    // A taken name (an unreferenced file left by a crash) is never overwritten: a fresh name.
    writeFileSync(join(dir, privateKeyPath('sig-1')), 'left by a crash', { mode: 0o600 });
    const first = await updateKeyring(dir, async (manifest, files) => {
      manifest.keys.push(entry('sig-1', await files.writePrivateKey('sig-1', key)));
    });
    const file = first.keys[0]!.privateKeyFile!;
    expect(file).not.toBe(privateKeyPath('sig-1'));
    expect(readFileSync(join(dir, privateKeyPath('sig-1')), 'utf8')).toBe('left by a crash');
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);

    // Ids name files, so one that would leave the keyring is refused before anything is written.
    await expect(updateKeyring(dir, async (_, files) => void (await files.writeCsr('../../escape', 'x')))).rejects.toMatchObject({
      code: 'ERR_KEYRING_INVALID',
    });
    // Files are removed only after the manifest stops naming them.
    await expect(updateKeyring(dir, (_, files) => files.removeAfterCommit(file))).rejects.toMatchObject({ code: 'ERR_KEYRING_INVALID' });
    expect(existsSync(join(dir, file))).toBe(true);
    await updateKeyring(dir, (manifest, files) => {
      manifest.keys = [];
      files.removeAfterCommit(file);
    });
    expect(existsSync(join(dir, file))).toBe(false);
  });
});
