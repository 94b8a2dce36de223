// MTS EU/UK customers: every Cross-Border request carries a fresh request token (Bearer JWT).
import { describe, expect, it } from 'vitest';
import { quoteRequest, worldPerFile } from './helpers.js';

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
});
