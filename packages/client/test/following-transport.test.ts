// The transport side of following a keyring's mTLS key (src/transport/following-transport.ts),
// over a real transport-mtls pool against the sandbox's mTLS listener.
import { generateKeyPairSync } from 'node:crypto';
import { createMtlsTransport, type MtlsCredentials, type MtlsTransport } from '@mcapi/transport-mtls';
import { describe, expect, it } from 'vitest';
import { followingTransport } from '../src/transport/following-transport.js';
import { logMark, logSince, worldPerFile } from './helpers.js';

const files = worldPerFile();

describe('followingTransport', () => {
  it('fails requests while the keyring offers a certificate the pool refuses, without sending them or retrying the reload, and recovers on the next key', async () => {
    const { sandbox, provisioned } = files.world;
    const good = provisioned.keyring.active('mtls', 'sandbox');
    const inner = createMtlsTransport({ credentials: good, ca: sandbox.caCertificate });
    let reloads = 0;
    const counted: MtlsTransport = {
      request: (input) => inner.request(input),
      reload: (credentials) => {
        reloads += 1;
        return inner.reload(credentials);
      },
      close: () => inner.close(),
      get dispatcher() {
        return inner.dispatcher;
      },
    };
    let offered: MtlsCredentials = good;
    const transport = followingTransport(counted, () => offered, good);
    const send = () => transport.request({ method: 'GET', url: `${sandbox.urls.benefitAllocation}/card-segments` });
    try {
      await expect(send()).resolves.toMatchObject({ status: expect.any(Number) });
      expect(reloads).toBe(0);

      // The keyring's certificate with a key that is not its own: transport-mtls refuses it.
      const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      offered = { cert: good.certificate!, key: foreignKey };
      const before = logMark(sandbox);
      const first = await send().catch((error: unknown) => error);
      const second = await send().catch((error: unknown) => error);
      expect(first).toMatchObject({ code: 'ERR_KEY_MISMATCH' });
      expect(second).toBe(first);
      // Refused once, not on every request; nothing went out with the old certificate.
      expect(reloads).toBe(1);
      expect(logSince(sandbox, before)).toEqual([]);

      offered = { ...good };
      await expect(send()).resolves.toMatchObject({ status: expect.any(Number) });
      expect(reloads).toBe(2);
      expect(sandbox.log().at(-1)).toMatchObject({ auth: 'mtls' });
    } finally {
      await transport.close();
    }
  });
});
