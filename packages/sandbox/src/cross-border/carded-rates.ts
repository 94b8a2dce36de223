import { randomUUID } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { DEFAULT_PROJECT } from '../dashboard/dashboard-state.js';
import type { ServiceNotification } from '../service-types.js';
import type { WebhookDelivery } from '../webhooks/webhook-sender.js';
import { PRICED_CURRENCIES, fxRate } from './pricing.js';
import { newId } from './wire-format.js';

// Carded Rate (FX) Push (api-facts §2.5 P2, §2.6.4): Mastercard publishes a partner's carded rates
// by POSTing `{ event_ref, event_type: "CARDFX_PUB", rates: [FxRate…] }`, each rate with its
// `tiers` as a plain array. Mastercard's sandbox cannot send one (§2.11); this sandbox publishes
// on request (`sandbox.dashboard.publishRates`, `POST /_dashboard/rates`), priced from the same
// static table as its quotes, so a partner can test its rate handling end to end.

/** The partner id a publication carries when none is given (the demo's and the tests' partner). */
export const DEFAULT_RATES_PARTNER_ID = 'SANDBOX_1234567';

/** What to publish. Every member is optional. */
export interface PublishRatesInput {
  /** Dashboard project whose webhooks get the push. Default `default`. */
  project?: string;
  /** `partner_id` of each rate. Default {@link DEFAULT_RATES_PARTNER_ID}. */
  partnerId?: string;
  /** Currency pairs, `"USD/GBP"`; default USD to every other currency the sandbox prices. */
  pairs?: string[];
}

/** One published rate (wire names of §2.6.4). */
export interface CardedRate {
  type: string;
  use: string;
  from_currency_code: string;
  to_currency_code: string;
  valid_from: string;
  valid_to: string;
  tier_identifier_rate: string;
  account_type: string;
  partner_id: string;
  tiers: Array<{ from_amount: string; rate_id: string; ask_rate: string; mid_rate: string; bid_rate: string }>;
  card_segment_name: string;
}

/** What a publication sent: its `event_ref`, the rates, and a delivery per webhook of the project. */
export interface RatePublication {
  eventRef: string;
  rates: CardedRate[];
  /** As `sandbox.webhooks.deliveries()` lists them (empty when the project has no webhook). */
  deliveries: WebhookDelivery[];
}

/** Options of {@link createRatePublisher}. */
export interface RatePublisherOptions {
  /** The sandbox clock: rates are valid for a day from its `now`. */
  now: () => number;
  /** Hands the push to the webhook sender (`WebhookSender.notify`). */
  notify: (notification: ServiceNotification) => WebhookDelivery[];
}

/**
 * Publishes carded rates: builds the Carded Rate Push ({@link cardedRatePush}) and sends it to
 * the project's webhooks through the same sender as every other push.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for input that is not valid (nothing is sent).
 *
 * @example
 * ```ts
 * const publishRates = createRatePublisher({ now: Date.now, notify: webhooks.notify });
 * const { eventRef, deliveries } = publishRates({ pairs: ['USD/EUR'] });
 * ```
 */
export function createRatePublisher(options: RatePublisherOptions): (input?: PublishRatesInput) => RatePublication {
  return (input = {}) => {
    const { notification, eventRef, rates } = cardedRatePush(input, options.now());
    return { eventRef, rates, deliveries: options.notify(notification) };
  };
}

const DAY_MS = 86_400_000;
const PAIR = /^([A-Z]{3})\/([A-Z]{3})$/;

/**
 * The Carded Rate Push for a project: rates valid for a day from `now`, two tiers each (the
 * second, from 1,000.00, a little closer to the mid rate), new `rate_id`s every time.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for a project, partner id or pair that is not valid.
 *
 * @example
 * ```ts
 * const { notification, eventRef } = cardedRatePush({ pairs: ['USD/GBP'] }, Date.now());
 * webhooks.notify(notification);
 * ```
 */
export function cardedRatePush(input: PublishRatesInput, now: number): { notification: ServiceNotification; eventRef: string; rates: CardedRate[] } {
  if (input.project !== undefined && (typeof input.project !== 'string' || input.project === '')) throw new McapiError('ERR_INVALID_OPTION', 'project must be a non-empty string.');
  const project = input.project ?? DEFAULT_PROJECT;
  const partnerId = checkPartnerId(input.partnerId);
  const pairs = checkPairs(input.pairs);
  const validFrom = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const validTo = new Date(now + DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rates = pairs.map(([from, to]): CardedRate => {
    const mid = fxRate(from, to);
    const tier = (fromAmount: string, spread: number) => ({
      from_amount: fromAmount,
      rate_id: newId('crt_'),
      ask_rate: (mid * (1 + spread)).toFixed(8),
      mid_rate: mid.toFixed(8),
      bid_rate: (mid * (1 - spread)).toFixed(8),
    });
    return {
      type: 'single',
      use: 'CMSP',
      from_currency_code: from,
      to_currency_code: to,
      valid_from: validFrom,
      valid_to: validTo,
      tier_identifier_rate: '',
      account_type: 'BANK',
      partner_id: partnerId,
      tiers: [tier('0.00', 0.01), tier('1000.00', 0.005)],
      card_segment_name: 'EMEA',
    };
  });
  const eventRef = randomUUID();
  return { notification: { project, body: { event_ref: eventRef, event_type: 'CARDFX_PUB', rates } }, eventRef, rates };
}

function checkPartnerId(value: unknown): string {
  if (value === undefined) return DEFAULT_RATES_PARTNER_ID;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new McapiError('ERR_INVALID_OPTION', "partnerId must be 1–64 letters, digits, '_', '.' or '-'.");
  }
  return value;
}

function checkPairs(value: unknown): Array<[string, string]> {
  if (value === undefined) return PRICED_CURRENCIES.filter((code) => code !== 'USD').map((code) => ['USD', code]);
  const hint = `pairs must be a non-empty list of "FROM/TO" currency pairs of ${PRICED_CURRENCIES.join(', ')}, such as "USD/GBP".`;
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) throw new McapiError('ERR_INVALID_OPTION', hint);
  return value.map((pair) => {
    const match = typeof pair === 'string' ? PAIR.exec(pair) : null;
    if (!match || match[1] === match[2] || !PRICED_CURRENCIES.includes(match[1]!) || !PRICED_CURRENCIES.includes(match[2]!)) {
      throw new McapiError('ERR_INVALID_OPTION', hint);
    }
    return [match[1]!, match[2]!];
  });
}
