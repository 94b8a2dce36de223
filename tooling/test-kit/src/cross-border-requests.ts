// Valid Cross-Border request bodies (api-facts §2.6.2, §2.6.5) that the sandbox, client and CLI
// tests send; a test changes only what it is about through `overrides`.

/**
 * A valid forward quote request (USD → GBP, P2P) for `reference`.
 *
 * @example
 * ```ts
 * const body = crossBorderQuoteRequest(`09${digits(10)}ACFQ`, { payment_amount: { amount: '20.00', currency: 'USD' } });
 * ```
 */
export function crossBorderQuoteRequest(reference: string, overrides: Record<string, unknown> = {}): { quoterequest: Record<string, unknown> } {
  return {
    quoterequest: {
      transaction_reference: reference,
      sender_account_uri: 'tel:+254108989',
      recipient_account_uri: 'ewallet:paypal_user011',
      payment_amount: { amount: '105.15', currency: 'USD' },
      payment_origination_country: 'USA',
      payment_type: 'P2P',
      quote_type: { forward: { fees_included: 'true', receiver_currency: 'GBP' } },
      ...overrides,
    },
  };
}

/**
 * A valid payment request without a quote (USD → EUR to a bank account, P2P) for `reference`.
 *
 * @example
 * ```ts
 * const body = crossBorderPaymentRequest('09XXXXXXX0190', { payment_type: 'B2B' });
 * ```
 */
export function crossBorderPaymentRequest(reference: string, overrides: Record<string, unknown> = {}): { paymentrequest: Record<string, unknown> } {
  return {
    paymentrequest: {
      transaction_reference: reference,
      sender_account_uri: 'tel:+254108989',
      recipient_account_uri: 'ban:45678993108765;bic=UNBECNSHXXX',
      payment_amount: { amount: '100.00', currency: 'USD' },
      payment_origination_country: 'USA',
      fx_type: { forward: { fees_included: false, receiver_currency: 'EUR' } },
      payment_type: 'P2P',
      ...overrides,
    },
  };
}
