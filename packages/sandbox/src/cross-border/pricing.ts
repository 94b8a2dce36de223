import { type Amount, money } from './wire-format.js';

// Static sandbox pricing ("Responses are static", api-facts §2.11): fixed rates against USD and
// a flat fee in the sender currency, so amounts are repeatable and add up.

const unitsPerUsd: Record<string, number> = { USD: 1, GBP: 0.7858, EUR: 0.9212, INR: 83.2, PHP: 56.1, CAD: 1.3642, MXN: 17.05, CNY: 7.19 };

/** The currencies the sandbox prices (others are priced at 1:1). */
export const PRICED_CURRENCIES: readonly string[] = Object.keys(unitsPerUsd);

/** Flat fee charged per payment, in the sender currency. */
export const FLAT_FEE = 5.25;

/** Exchange rate from one currency to another (1 for unknown currencies). */
export function fxRate(from: string, to: string): number {
  return (unitsPerUsd[to] ?? 1) / (unitsPerUsd[from] ?? 1);
}

/** The amounts of a proposal. */
export interface Pricing {
  rate: number;
  feesIncluded: boolean;
  charged: Amount;
  credited: Amount;
  principal: Amount;
  fees: Amount;
}

/**
 * Prices a transfer. Forward: `amount` is what the sender pays (fees inside or on top).
 * Reverse: `amount` is what the recipient receives.
 */
export function price(
  kind: 'forward' | 'reverse',
  amount: Amount & { value: number },
  otherCurrency: string,
  feesIncluded: boolean,
): Pricing {
  if (kind === 'forward') {
    const sender = amount.currency;
    const rate = fxRate(sender, otherCurrency);
    const principal = feesIncluded ? Math.max(amount.value - FLAT_FEE, 0.01) : amount.value;
    const charged = feesIncluded ? amount.value : amount.value + FLAT_FEE;
    return {
      rate,
      feesIncluded,
      charged: { amount: money(charged), currency: sender },
      credited: { amount: money(principal * rate), currency: otherCurrency },
      principal: { amount: money(principal), currency: sender },
      fees: { amount: money(FLAT_FEE), currency: sender },
    };
  }
  const sender = otherCurrency;
  const rate = fxRate(sender, amount.currency);
  const principal = amount.value / rate;
  return {
    rate,
    feesIncluded: false,
    charged: { amount: money(principal + FLAT_FEE), currency: sender },
    credited: { amount: money(amount.value), currency: amount.currency },
    principal: { amount: money(principal), currency: sender },
    fees: { amount: money(FLAT_FEE), currency: sender },
  };
}
