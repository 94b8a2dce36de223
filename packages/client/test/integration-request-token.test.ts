// MTS EU/UK customers: every Cross-Border request carries a fresh request token (Bearer JWT).
import { describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../demo/provision.js';
import { digits, quoteRequest, worldPerFile } from './helpers.js';

const files = worldPerFile({}, { requestTokenEnabled: true });

describe('Cross-Border with the request token', () => {
  it('authenticates with a fresh Bearer JWT per request instead of OAuth 1.0a', async () => {
    const signing = files.world.provisioned.keyring.active('signing', 'sandbox');
    const client = files.world.makeClient({
      requestToken: { consumerKey: files.world.provisioned.consumerKey, signingKey: signing.privateKey!, certificate: signing.certificate! },
    });
    const reference = `09${Date.now()}ACFQ`;
    const quote = await client.crossBorder.quotes.create(quoteRequest(reference, '10.00'));
    const payment = await client.crossBorder.payments.create({ transaction_reference: reference, proposal_id: quote.proposals!.proposal![0]!.id! });
    await expect(client.crossBorder.payments.retrieve({ reference })).resolves.toMatchObject({ id: payment.id });
    const entries = files.world.sandbox.log().slice(-3);
    expect(entries.map((entry) => entry.auth)).toEqual(['request-token', 'request-token', 'request-token']);
    // Balance APIs need an access token from the authorization-code flow, not a request token.
    await expect(client.crossBorder.balances.list()).rejects.toMatchObject({ status: 401, source: 'Authorization' });
  });

  it("signs the token with the keyring's new signing key and consumer key after a rotation and keyring.reload()", async () => {
    const { sandbox, provisioned } = files.world;
    const client = files.world.makeClient({ crossBorder: { partnerId: 'SANDBOX_1234567', auth: 'request-token' } });
    const quote = () => client.crossBorder.quotes.create(quoteRequest(`09${digits(10)}ACFQ`, '10.00'));
    await quote();
    const next = await rotateSigningKey(sandbox, provisioned.dir);
    await provisioned.keyring.reload();
    await quote();
    const [before, after] = sandbox.log().slice(-2);
    expect(before).toMatchObject({ auth: 'request-token', credential: next.replacedSeenAs });
    expect(after).toMatchObject({ auth: 'request-token', credential: next.seenAs });
    // The old key revoked on the dashboard: the client no longer uses it.
    sandbox.dashboard.revokeKey(sandbox.dashboard.listKeys().find((key) => key.consumerKey === next.replacedSeenAs)!.id);
    await expect(quote()).resolves.toBeDefined();
  });
});
