// Against the real sandbox over real mTLS, keys provisioned through keytool and the dashboard.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { publicKeyFingerprint } from '@mcapi/keys';
import { createCsr } from '@mcapi/keytool';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rotateResponseKey } from '../demo/provision.js';
import { BadRequestError, McapiApiError, PermissionDeniedError, ServerError } from '../src/index.js';
import { logMark, logSince, randomPan, recordingSleep, startWorld, today, whileRequestsFlow, type World } from './helpers.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});
// A failed assertion must not leave a fault rule active for the next test.
afterEach(() => {
  world?.sandbox.dashboard.clearFaults();
});

describe('Benefit Allocation against the sandbox (mTLS + JWE both ways)', () => {
  it('assigns, replaces and cancels a segment, replaces the card, freezes and unfreezes it', async () => {
    const bas = world.client.benefitAllocation;
    const pan = randomPan();
    const assigned = await bas.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    expect(assigned.bundles?.map((bundle) => bundle.code)).toEqual(['PC4657', 'PC6323']);
    const replaced = await bas.replaceSegment({ cardNumber: pan, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() });
    expect(replaced.bundles?.map((bundle) => bundle.code)).toEqual(['PC7781', 'PC2290']);
    const cancelled = await bas.cancelSegment({ cardNumber: BigInt(pan), segments: [{ code: 'PRT', expiryDate: '2099-12-31' }] });
    expect(cancelled.bundles?.every((bundle) => bundle.expiryDate === '2099-12-31')).toBe(true);

    const other = randomPan();
    await bas.assignSegment({ cardNumber: other, segments: [{ code: 'DART', effectiveDate: today() }] });
    const moved = await bas.replaceCard({ oldCardNumber: other, newCardNumber: randomPan(), effectiveDate: today() });
    expect(moved.bundles?.length).toBeGreaterThan(0);

    await expect(bas.freezeCard({ cardNumber: pan, date: today() })).resolves.toBeUndefined();
    await expect(bas.unfreezeCard({ cardNumber: pan, date: today() })).resolves.toBeUndefined();
    const log = world.sandbox.log().filter((entry) => entry.listener === 'benefitAllocation');
    expect(log.every((entry) => entry.auth === 'mtls' && entry.decryption === 'encrypted')).toBe(true);
  });

  it('sends a 19-digit PAN exactly: the card is found again by the same number and not by its neighbour', async () => {
    const bas = world.client.benefitAllocation;
    const pan = randomPan(19);
    await bas.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    await expect(
      bas.replaceSegment({ cardNumber: pan, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() }),
    ).resolves.toBeDefined();
    const neighbour = (BigInt(pan) + 1n).toString();
    // A Number would have rounded both to the same value; the neighbour has no segment.
    await expect(
      bas.replaceSegment({ cardNumber: neighbour, oldSegmentCode: 'DART', newSegmentCode: 'PRT', effectiveDate: today() }),
    ).rejects.toBeInstanceOf(McapiApiError);
  });

  it('maps a validation failure to BadRequestError with the BAS envelope', async () => {
    const error = await world.client.benefitAllocation
      .assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: 'not-a-date' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).reasonCode).toBe('50');
    expect((error as BadRequestError).message).not.toMatch(/529107\d{10}/);
  });

  it("answers PERMISSION_DENIED (PermissionDeniedError) for another project's card", async () => {
    const pan = randomPan();
    await world.client.benefitAllocation.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    // A second project with its own client certificate and response key, issued by the dashboard.
    const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
    const mtlsKey = rsa();
    const responseKey = rsa();
    const subject = { CN: 'other project', O: 'mcapi' };
    const mtls = world.sandbox.dashboard.signCsr({ csr: createCsr({ privateKey: mtlsKey.privateKey, subject }), purpose: 'mtls', project: 'other' });
    const response = world.sandbox.dashboard.signCsr({
      csr: createCsr({ privateKey: responseKey.privateKey, subject }),
      purpose: 'response-decryption',
      project: 'other',
    });
    if (!response.active) world.sandbox.dashboard.activateResponseDecryptionKey(response.id);
    const other = world.makeClient({
      mtls: { cert: mtls.certificate + mtls.chain, key: mtlsKey.privateKey },
      encryption: {
        encryptionKey: new X509Certificate(world.sandbox.requestEncryptionCertificate),
        decryptionKeys: new Map([[publicKeyFingerprint(responseKey.publicKey), responseKey.privateKey]]),
      },
    });
    const error = await other.benefitAllocation.freezeCard({ cardNumber: pan, date: today() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).reasonCode).toBe('PERMISSION_DENIED');
  });

  it('honours Retry-After on a 503 and succeeds on the next attempt', async () => {
    world.sandbox.dashboard.addFault({ listener: 'benefitAllocation', path: '/loyalty/benefits/cards', method: 'PUT', status: 503, retryAfterSeconds: 1, times: 1 });
    const sleep = recordingSleep();
    const client = world.makeClient({ retry: { initialDelayMs: 20, maxDelayMs: 100, sleep } });
    const pan = randomPan();
    await client.benefitAllocation.assignSegment({ cardNumber: pan, segments: [{ code: 'DART', effectiveDate: today() }] });
    const mark = world.events.length;
    await client.benefitAllocation.freezeCard({ cardNumber: pan, date: today() });
    // The injected sleep was asked for the server's Retry-After, not the 20 ms backoff.
    expect(sleep.waits).toEqual([1000]);
    const retry = world.events.slice(mark).filter((event) => event.type === 'retry').at(-1);
    expect(retry).toMatchObject({ delayMs: 1000, reason: 'HTTP 503', path: '/loyalty/benefits/cards' });
  });

  it('gives up with ServerError when 503 persists past maxRetries', async () => {
    world.sandbox.dashboard.addFault({ listener: 'benefitAllocation', path: '/loyalty/benefits/cards', method: 'PUT', status: 503, retryAfterSeconds: 0, times: 3 });
    const before = logMark(world.sandbox);
    const error = await world.client.benefitAllocation.freezeCard({ cardNumber: randomPan(), date: today() }, { maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    // maxRetries: 1 means exactly two attempts, both answered 503.
    expect(logSince(world.sandbox, before).map((entry) => entry.status)).toEqual([503, 503]);
  });

  it('fails a slow answer with ERR_HEADERS_TIMEOUT at the client timeout and at a per-call override', async () => {
    const fault = { listener: 'benefitAllocation', path: '/loyalty/benefits/cards', method: 'PUT', latencyMs: 1_500, times: 1 } as const;
    // The client-wide timeout is enforced by the connection pool.
    const quick = world.makeClient({ timeout: 300, maxRetries: 0 });
    world.sandbox.dashboard.addFault(fault);
    // The fault answers after 1.5 s: ERR_HEADERS_TIMEOUT can only come from the 300 ms timeout.
    await expect(quick.benefitAllocation.freezeCard({ cardNumber: randomPan(), date: today() })).rejects.toMatchObject({
      code: 'ERR_HEADERS_TIMEOUT',
      message: expect.stringContaining('raise the "timeout" option'),
    });
    // A per-call timeout goes through the per-attempt timer.
    world.sandbox.dashboard.addFault(fault);
    await expect(
      world.client.benefitAllocation.freezeCard({ cardNumber: randomPan(), date: today() }, { timeout: 300, maxRetries: 0 }),
    ).rejects.toMatchObject({ code: 'ERR_HEADERS_TIMEOUT', message: expect.stringContaining('raise the "timeout" option') });
  });

  it('does not resend a state-changing call after the connection was reset mid-response', async () => {
    world.sandbox.dashboard.addFault({ listener: 'benefitAllocation', path: '/loyalty/benefits/card-segments', method: 'POST', reset: true, times: 1 });
    const before = logMark(world.sandbox);
    const error = await world.client.benefitAllocation
      .assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] })
      .catch((e: unknown) => e);
    // One code: the sandbox ends the connection after the headers and half the body, so the
    // client saw a response start and the failure is a lost connection, never a handshake.
    expect(error).toMatchObject({ code: 'ERR_CONNECTION' });
    // Only this path counts: a slow answer of the previous test may still land in the log meanwhile.
    const sent = logSince(world.sandbox, before).filter((entry) => entry.method === 'POST' && entry.path === '/loyalty/benefits/card-segments');
    expect(sent.length).toBe(1);
  });

  it('keeps working while the response-decryption key rotates in the middle of a run of requests', async () => {
    const bas = world.client.benefitAllocation;
    let oldKid!: string;
    let newKid!: string;
    const { failures, sent } = await whileRequestsFlow(
      world.sandbox,
      () => bas.assignSegment({ cardNumber: randomPan(), segments: [{ code: 'DART', effectiveDate: today() }] }),
      async () => {
        ({ oldKid, newKid } = await rotateResponseKey(world.sandbox, world.provisioned));
      },
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(10);
    const kids = world.events.filter((event) => event.type === 'decrypted').map((event) => event.kid);
    expect(kids).toContain(oldKid);
    expect(kids.at(-1)).toBe(newKid);
  });
});
