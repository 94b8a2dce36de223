import { describe, expect, it } from 'vitest';
import { createRatePublisher } from '../src/cross-border/carded-rates.js';
import type { ServiceNotification } from '../src/service-types.js';

// The Carded Rate Push the sandbox publishes (api-facts §2.5 P2, §2.6.4), built on the sandbox
// clock (injected here: no wall clock). Delivery to a real webhook handler is covered by the
// client's integration-webhook-push.test.ts.

function publisher(now: number) {
  const sent: ServiceNotification[] = [];
  const publish = createRatePublisher({
    now: () => now,
    notify: (notification) => {
      sent.push(notification);
      return [];
    },
  });
  return { publish, sent };
}

describe('carded rate publication', () => {
  it('publishes USD to every priced currency by default, valid for a day from the sandbox clock, in P2 shape', () => {
    const { publish, sent } = publisher(Date.UTC(2026, 11, 5, 6, 30, 15, 250));
    const published = publish();
    expect(sent).toHaveLength(1);
    const [notification] = sent;
    expect(notification!.project).toBe('default');
    expect(notification!.flat).toBeUndefined();
    expect(notification!.body).toEqual({ event_ref: published.eventRef, event_type: 'CARDFX_PUB', rates: published.rates });
    expect(published.rates.map((rate) => `${rate.from_currency_code}/${rate.to_currency_code}`)).toEqual(['USD/GBP', 'USD/EUR', 'USD/INR', 'USD/PHP', 'USD/CAD', 'USD/MXN', 'USD/CNY']);
    expect(published.rates[0]).toEqual({
      type: 'single',
      use: 'CMSP',
      from_currency_code: 'USD',
      to_currency_code: 'GBP',
      valid_from: '2026-12-05T06:30:15Z',
      valid_to: '2026-12-06T06:30:15Z',
      tier_identifier_rate: '',
      account_type: 'BANK',
      partner_id: 'SANDBOX_1234567',
      tiers: [
        { from_amount: '0.00', rate_id: expect.stringMatching(/^crt_\d{20}$/), ask_rate: '0.79365800', mid_rate: '0.78580000', bid_rate: '0.77794200' },
        { from_amount: '1000.00', rate_id: expect.stringMatching(/^crt_\d{20}$/), ask_rate: '0.78972900', mid_rate: '0.78580000', bid_rate: '0.78187100' },
      ],
      card_segment_name: 'EMEA',
    });
    // Each publication is a new event with new rate ids.
    const again = publish();
    expect(again.eventRef).not.toBe(published.eventRef);
    expect(again.rates[0]!.tiers[0]!.rate_id).not.toBe(published.rates[0]!.tiers[0]!.rate_id);
  });

  it('publishes the pairs asked for, to the project and partner named', () => {
    const { publish, sent } = publisher(0);
    const published = publish({ project: 'p2', partnerId: 'PARTNER_9', pairs: ['EUR/INR'] });
    expect(sent[0]!.project).toBe('p2');
    expect(published.rates.map((rate) => [rate.from_currency_code, rate.to_currency_code, rate.partner_id, rate.tiers[0]!.mid_rate])).toEqual([['EUR', 'INR', 'PARTNER_9', '90.31697785']]);
  });

  it('refuses input that is not valid, sending nothing', () => {
    const { publish, sent } = publisher(0);
    for (const input of [{ pairs: [] }, { pairs: ['USD/XXX'] }, { pairs: ['USD/USD'] }, { pairs: ['usd/gbp'] }, { pairs: 'USD/GBP' }, { partnerId: 'a b' }, { project: '' }]) {
      expect(() => publish(input as never), JSON.stringify(input)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    expect(sent).toEqual([]);
  });
});
