// mTLS with a token-held key: Node's TLS loads it through the OpenSSL engine of Debian's
// libengine-pkcs11-openssl; a real https server that requires client certificates accepts the
// handshake, and the server sees the certificate of the token key.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { debianPkcs11Engine, openPkcs11, tlsEngineKeyOptions } from '@mcapi/pkcs11';
import { type SoftHsmToken, createSoftHsmToken, serviceAvailable } from '@mcapi/test-services';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const haveSoftHsm = serviceAvailable({ command: 'softhsm2-util', versionArgs: ['--version'], aptPackage: 'softhsm2' });
const haveEngine = haveSoftHsm && serviceAvailable({ command: debianPkcs11Engine, aptPackage: 'libengine-pkcs11-openssl' });

describe.skipIf(!haveEngine)('mTLS with a key inside the token (OpenSSL engine)', () => {
  let token: SoftHsmToken;
  let dir: string;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    token = await createSoftHsmToken('mcapi-mtls');
    dir = token.conf.replace(/softhsm2\.conf$/, '');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-subj', '/CN=test client CA', '-days', '2', '-out', join(dir, 'ca.crt'));
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'server.key'), '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2', '-out', join(dir, 'server.crt'));
  });
  afterAll(async () => {
    await token?.remove();
  });

  it('an undici Agent with the token key completes a handshake that requires a client certificate', async () => {
    // The key is generated in the token; the provider is closed (module finalised) before the
    // engine opens the same module.
    const hsm = await openPkcs11({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin });
    const key = await hsm.generateKeyPair({ label: 'mtls-2026', type: 'rsa' });
    await hsm.close();
    writeFileSync(join(dir, 'client.pub.pem'), key.publicKey.export({ type: 'spki', format: 'pem' }));
    openssl('x509', '-new', '-subj', '/CN=hsm-client', '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-force_pubkey', join(dir, 'client.pub.pem'), '-days', '2', '-out', join(dir, 'client.crt'));
    expect(existsSync(join(dir, 'client.crt'))).toBe(true);

    const server = createServer(
      { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')), ca: readFileSync(join(dir, 'ca.crt')), requestCert: true, rejectUnauthorized: true },
      (req, res) => res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject.CN}`),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const options = tlsEngineKeyOptions(key, { pin: token.pin });
    expect(options.privateKeyIdentifier.startsWith(key.reference)).toBe(true);
    const agent = new Agent({ connect: { ca: readFileSync(join(dir, 'server.crt')), cert: readFileSync(join(dir, 'client.crt')), ...options } });
    try {
      const response = await request(`https://127.0.0.1:${port}/`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe('hello hsm-client');
      // Control: the same certificate without its key is refused by the client's TLS stack.
      const keyless = new Agent({ connect: { ca: readFileSync(join(dir, 'server.crt')), cert: readFileSync(join(dir, 'client.crt')) } });
      await expect(request(`https://127.0.0.1:${port}/`, { dispatcher: keyless })).rejects.toThrow();
      await keyless.close();
    } finally {
      await agent.close();
      server.close();
    }
  });
});
