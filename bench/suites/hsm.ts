// PKCS#11 (SoftHSM2) against the in-memory key: signatures/s (PS256, what OAuth 1.0a RSA-PSS and
// FAPI 2.0 use) and RSA-OAEP-256 unwraps/s, one at a time and 8 in flight (pooled sessions on
// libuv's threads). A report, not a target: a real HSM's numbers are the vendor's.
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { openPkcs11 } from '@mcapi/pkcs11';
import { createSoftHsmToken } from '@mcapi/test-services';
import { type Suite, compare } from '../harness.js';

export const suite: Suite = {
  name: 'hsm: PKCS#11 token (SoftHSM2) vs in-memory RSA-2048 key',
  async run() {
    if (spawnSync('softhsm2-util', ['--version'], { stdio: 'ignore' }).status !== 0) {
      return { measurements: [], lines: ['skipped: softhsm2 is not installed (apt-get install -y softhsm2)'], missed: [] };
    }
    const token = await createSoftHsmToken('mcapi-bench');
    const hsm = await openPkcs11({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin, maxSessions: 8 });
    try {
      const tokenKey = await hsm.generateKeyPair({ label: 'bench', type: 'rsa' });
      const memoryKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const data = randomBytes(512);
      const pss = { key: memoryKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      const memorySign = () =>
        new Promise<Buffer>((resolve, reject) => sign('sha256', data, pss, (error, signature) => (error ? reject(error) : resolve(signature))));
      const eight = <T>(operation: () => Promise<T>) => () => Promise.all(Array.from({ length: 8 }, operation));
      const signing = await compare([
        { name: 'in-memory PS256', run: memorySign },
        { name: 'token PS256', run: () => tokenKey.sign('PS256', data) },
        { name: 'in-memory PS256 ×8 in flight', run: eight(memorySign) },
        { name: 'token PS256 ×8 in flight', run: eight(() => tokenKey.sign('PS256', data)) },
      ]);
      const cek = randomBytes(32);
      const wrapped = publicEncrypt({ key: tokenKey.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
      const memoryWrapped = publicEncrypt({ key: memoryKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
      const decrypting = await compare([
        { name: 'in-memory RSA-OAEP-256', run: () => privateDecrypt({ key: memoryKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, memoryWrapped) },
        { name: 'token RSA-OAEP-256', run: () => tokenKey.decrypt!('RSA-OAEP-256', wrapped) },
        { name: 'token RSA-OAEP-256 ×8 in flight', run: eight(() => tokenKey.decrypt!('RSA-OAEP-256', wrapped)) },
      ]);
      const perOperation = (name: string, value: number) => (name.includes('×8') ? value * 8 : value);
      const lines = [
        'signatures/s:',
        ...signing.map((m) => `  ${m.name}: ${Math.round(perOperation(m.name, m.opsPerSecond)).toLocaleString('en-US')} signatures/s`),
        'decryptions/s (SoftHSM 2.6: raw RSA in the token + OAEP decoding in the process):',
        ...decrypting.map((m) => `  ${m.name}: ${Math.round(perOperation(m.name, m.opsPerSecond)).toLocaleString('en-US')} decryptions/s`),
      ];
      return { measurements: [...signing, ...decrypting], lines, missed: [] };
    } finally {
      await hsm.close();
      await token.remove();
    }
  },
};
