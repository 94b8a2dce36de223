import { describe, expect, it } from 'vitest';
import { asArray, normalizeResponse, type Quote } from '../src/index.js';

describe('normalizeResponse', () => {
  it('turns a single proposal into a list, string booleans into booleans and numeric amounts into strings', () => {
    const quote = normalizeResponse({
      transaction_reference: '08123ACFQ',
      proposals: {
        proposal: {
          id: 'pen_1',
          fees_included: 'true',
          charged_amount: { amount: 8.35, currency: 'USD' },
          additional_data_list: { item_count: 1, data: { data_field: { name: 851, value: '1' } } },
        },
      },
    }) as unknown as Quote;
    const proposal = quote.proposals!.proposal![0]!;
    expect(proposal.id).toBe('pen_1');
    expect(proposal.fees_included).toBe(true);
    expect(proposal.charged_amount!.amount).toBe('8.35');
    expect(proposal.additional_data_list!.item_count).toBe('1');
    expect(proposal.additional_data_list!.data!.data_field).toEqual([{ name: 851, value: '1' }]);
  });

  it('leaves arrays as they are, unknown string flags untouched, and does not change its input', () => {
    const input = { proposals: { proposal: [{ id: 'a', fees_included: 'maybe' }, { id: 'b', fees_included: false }] } };
    const copy = structuredClone(input);
    const out = normalizeResponse(input);
    expect(out.proposals.proposal!.map((p) => p.fees_included)).toEqual(['maybe', false]);
    expect(input).toEqual(copy);
  });

  it('asArray handles absent, single and list values', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(1)).toEqual([1]);
    expect(asArray([1, 2])).toEqual([1, 2]);
  });
});

describe('toWireStrings (request side, api-facts §2.14)', () => {
  it('writes fees_included and amounts as strings, keeping a JsonNumber literal exact', async () => {
    const { toWireStrings } = await import('../src/normalize/wire-strings.js');
    const { jsonNumber, stringifyJsonLossless } = await import('../src/index.js');
    const wire = toWireStrings({
      payment_amount: { amount: jsonNumber('105.10'), currency: 'USD' },
      quote_type: { forward: { fees_included: false, receiver_currency: 'GBP' } },
      additional_data: { data_field: [{ name: '701', value: 'USA' }] },
    });
    expect(stringifyJsonLossless(wire)).toBe(
      '{"payment_amount":{"amount":"105.10","currency":"USD"},"quote_type":{"forward":{"fees_included":"false","receiver_currency":"GBP"}},"additional_data":{"data_field":[{"name":"701","value":"USA"}]}}',
    );
    // A string stays exactly as given.
    expect(toWireStrings({ amount: '0.10', fees_included: 'true' })).toEqual({ amount: '0.10', fees_included: 'true' });
  });
});
