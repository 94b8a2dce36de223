// The typed client follows a keyring rotation of every key it uses, against the real sandbox
// over TLS: keys rotated through keytool and the sandbox dashboard with requests flowing, the
// keyring reloaded, and the sandbox's request log showing which certificate, consumer key or
// request kid each call used.
import { type Keyring, openKeyring, updateKeyring } from '@mcapi/keys';
import { describe, expect, it } from 'vitest';
import { renewRequestEncryptionCertificate, rotateMtlsCertificate, rotateSigningKey, type RotatedKey } from '../demo/provision.js';
import { followActiveKey } from '../src/config/keyring-credentials.js';
import type { McapiClient } from '../src/index.js';
import { digits, expectSwitched, logMark, logSince, quoteRequest, randomPan, today, whileRequestsFlow, worldPerFile } from './helpers.js';

const files = worldPerFile();

const assign = (client: McapiClient) => client.benefitAllocation.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] });
const quote = (client: McapiClient) => client.crossBorder.quotes.create(quoteRequest(`09${digits(10)}ACFQ`));

/** {@link whileRequestsFlow} on this file's sandbox, with the log entries of one listener. */
async function rotationOn(listener: 'benefitAllocation' | 'crossBorder', call: () => Promise<unknown>, rotate: () => Promise<void>) {
  const { failures, entries } = await whileRequestsFlow(files.world.sandbox, call, rotate);
  return { failures, entries: entries.filter((entry) => entry.listener === listener) };
}

/** {@link rotationOn} where the rotation is `rotateKey` (keytool and the dashboard), then `keyring.reload()`; 0 failures. */
async function rotatedAndReloaded(listener: 'benefitAllocation' | 'crossBorder', call: () => Promise<unknown>, rotateKey: () => Promise<RotatedKey>) {
  let next!: RotatedKey;
  const { failures, entries } = await rotationOn(listener, call, async () => {
    next = await rotateKey();
    await files.world.provisioned.keyring.reload();
  });
  expect(failures).toEqual([]);
  return { next, entries };
}

describe('createClient({ keyring }) follows a rotation of every key, with requests in flight', () => {
  it('the mTLS client certificate: keytool rotate/import/activate, keyring.reload(), 0 failures, the new certificate presented', async () => {
    const { sandbox, provisioned, client } = files.world;
    const { next, entries } = await rotatedAndReloaded('benefitAllocation', () => assign(client), () => rotateMtlsCertificate(sandbox, provisioned.dir));
    expectSwitched(entries.map((entry) => entry.credential), next);
    // Revoked on the dashboard, the old certificate cannot handshake any more: the client no
    // longer presents it on any connection.
    const old = sandbox.dashboard.listKeys().find((key) => key.purpose === 'mtls' && key.certificateFingerprint === next.replacedSeenAs)!;
    sandbox.dashboard.revokeKey(old.id);
    await expect(Promise.all([assign(client), assign(client), assign(client)])).resolves.toHaveLength(3);
  });

  it('the signing key: a new consumer key and key sign every request after keyring.reload(), 0 failures', async () => {
    const { sandbox, provisioned, client } = files.world;
    const { next, entries } = await rotatedAndReloaded('crossBorder', () => quote(client), () => rotateSigningKey(sandbox, provisioned.dir));
    expectSwitched(entries.map((entry) => entry.credential), next);
    sandbox.dashboard.revokeKey(sandbox.dashboard.listKeys().find((key) => key.consumerKey === next.replacedSeenAs)!.id);
    await expect(quote(client)).resolves.toBeDefined();
  });

  it("the request-encryption certificate: Mastercard renews it, the keyring's new one encrypts every request after keyring.reload(), 0 failures", async () => {
    const { sandbox, provisioned, client } = files.world;
    const { next, entries } = await rotatedAndReloaded('benefitAllocation', () => assign(client), () => renewRequestEncryptionCertificate(sandbox, provisioned.dir));
    expectSwitched(entries.map((entry) => entry.requestKid), next);
  });

  it('an explicit mtls option is not replaced by a keyring rotation', async () => {
    const { sandbox, provisioned } = files.world;
    const pinned = provisioned.keyring.active('mtls', 'sandbox');
    const client = files.world.makeClient({ mtls: pinned });
    await assign(client);
    const next = await rotateMtlsCertificate(sandbox, provisioned.dir);
    await provisioned.keyring.reload();
    const before = logMark(sandbox);
    await assign(client);
    await assign(files.world.client);
    const [explicit, followed] = logSince(sandbox, before).map((entry) => entry.credential);
    expect(explicit).toBe(next.replacedSeenAs);
    expect(followed).toBe(next.seenAs);
  });

  it('a reload that left a key as it was keeps what was built from it; a rotation builds anew', async () => {
    const { provisioned } = files.world;
    const built: string[] = [];
    const current = followActiveKey(provisioned.keyring, 'mtls', 'sandbox', (key) => {
      built.push(key.entry.id);
      return { id: key.entry.id };
    }, () => new Error('missing'));
    const first = current();
    await provisioned.keyring.reload();
    expect(current()).toBe(first);
    const next = await rotateMtlsCertificate(files.world.sandbox, provisioned.dir);
    await provisioned.keyring.reload();
    expect(current()).toEqual({ id: next.id });
    expect(built).toEqual([first.id, next.id]);
  });
});

describe('openKeyring(dir, { watch: true }) under a running client', () => {
  it('an mTLS rotation done by keytool alone (no reload call) reaches the client once the keyring reloads itself: 0 failures', async () => {
    const { sandbox, provisioned } = files.world;
    let target: string | undefined;
    let reached!: () => void;
    const reloaded = new Promise<void>((resolve) => {
      reached = resolve;
    });
    // Resolved by the keyring's own reload that made the new key active, not after a pause.
    const watched: Keyring = await openKeyring(provisioned.dir, {
      watch: { debounceMs: 20 },
      onReload: (keyring) => {
        if (target !== undefined && keyring.active('mtls', 'sandbox').entry.id === target) reached();
      },
    });
    try {
      const client = files.world.makeClient({ keyring: watched });
      let next!: RotatedKey;
      const { failures, entries } = await rotationOn('benefitAllocation', () => assign(client), async () => {
        next = await rotateMtlsCertificate(sandbox, provisioned.dir);
        target = next.id;
        // The activation may have been reloaded before `target` was set: check once more.
        if (watched.active('mtls', 'sandbox').entry.id === target) reached();
        await reloaded;
      });
      expect(failures).toEqual([]);
      expectSwitched(entries.map((entry) => entry.credential), next);
    } finally {
      watched.close();
    }
  });
});

describe('a keyring left without a key the client needs', () => {
  // A secret update or a hand-edited manifest can leave no active key of a purpose; keytool
  // itself never retires the active key.
  const deactivate = async (purpose: 'mtls' | 'signing' | 'request-encryption') => {
    await updateKeyring(files.world.provisioned.dir, (manifest) => {
      for (const key of manifest.keys) if (key.purpose === purpose && key.status === 'active') key.status = 'previous';
      return manifest;
    });
    await files.world.provisioned.keyring.reload();
  };

  it('fails each request with the message the client gives at construction and sends nothing', async () => {
    const { sandbox, client, provisioned } = files.world;
    const mtlsId = provisioned.keyring.active('mtls', 'sandbox').entry.id;
    const before = logMark(sandbox);
    await deactivate('mtls');
    await expect(assign(client)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: 'client.benefitAllocation is not configured: mtls (or a keyring with an active mtls key).',
    });
    await deactivate('signing');
    await expect(quote(client)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: 'client.crossBorder is not configured: oauth1, requestToken or a keyring with an active signing key that has a consumer key.',
    });
    expect(logSince(sandbox, before)).toEqual([]);

    // The construction message for the same keyring state is the same.
    const fresh = files.world.makeClient();
    await expect(assign(fresh)).rejects.toMatchObject({ message: 'client.benefitAllocation is not configured: mtls (or a keyring with an active mtls key).' });

    await updateKeyring(provisioned.dir, (manifest) => {
      for (const key of manifest.keys) if (key.id === mtlsId) key.status = 'active';
      return manifest;
    });
    await provisioned.keyring.reload();
    await deactivate('request-encryption');
    // Never sent in plaintext: refused before anything leaves, naming the keytool command.
    await expect(assign(client)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringMatching(/^client\.benefitAllocation is not configured: encryption is incomplete: .*request-encryption certificate/),
    });
    expect(logSince(sandbox, before)).toEqual([]);
  });
});
