import type { components } from '../generated/cross-border.js';
import { type Normalized, normalizeResponse } from '../normalize/normalize.js';
import { toWireStrings } from '../normalize/wire-strings.js';
import { type ApiCaller, segment } from '../client/api-caller.js';
import type { RequestOptions } from '../client/request-options.js';
import { type CashPickupApi, type EndpointGuideApi, createCatalogApis } from './cross-border-catalog.js';
import { createCrossBorderCaller } from './cross-border-caller.js';
import { type RfiApi, createRfiApi } from './cross-border-rfi.js';
import { type AccountsApi, type AddressesApi, type BanksApi, createValidationApis } from './cross-border-validation.js';
import { expectArray, expectMember, expectObject } from './response-shape.js';

type Schemas = components['schemas'];
/** `quoterequest` (the client adds the root member). */
export type QuoteRequest = Schemas['QuoteRequest'];
/** A quote; `proposals.proposal` is always an array. */
export type Quote = Normalized<Schemas['Quote']>;
/** Identifies a proposal of a quote (confirm, cancel, retrieve). */
export type QuoteReference = Schemas['QuoteReference'];
export type QuoteConfirmation = Normalized<Schemas['QuoteConfirmation']>;
export type QuoteCancellation = Normalized<Schemas['QuoteCancellation']>;
/** Retrieve Confirmed Quote: the status is in `quote` (`quote.confirmStatus.status`, api-facts §2.14). */
export type ConfirmedQuote = Normalized<Schemas['ConfirmedQuote']>;
/** `paymentrequest` (the client adds the root member). */
export type PaymentRequest = Schemas['PaymentRequest'];
export type Payment = Normalized<Schemas['Payment']>;
export type Rates = Normalized<Schemas['Rates']>;
export type Account = Normalized<Schemas['Account']>;
/** Which payment to retrieve: its id (`rem_…`) or its `transaction_reference`. */
export type PaymentLookup = string | { id: string } | { reference: string };

/** Options of the balance calls. */
export interface BalanceOptions extends RequestOptions {
  /** `include_balance`: add balance details (default false, as Mastercard). */
  includeBalance?: boolean;
}

/** Mastercard's answer to a payment cancellation (`cancelpayment`). */
export type PaymentCancellation = { status?: string; [member: string]: unknown };

/** Cross-Border Services (OAuth 1.0a or request token + JWE wrapper). */
export interface CrossBorderApi {
  quotes: {
    /**
     * Requests a quote (`POST /send/v1/partners/{partner-id}/crossborder/quotes`). Amounts go out
     * as decimal strings and `fees_included` as `"true"`/`"false"`, as Mastercard's reference app
     * sends them (a boolean `fees_included` is written in that form).
     *
     * @example
     * ```ts
     * const quote = await client.crossBorder.quotes.create({
     *   transaction_reference: '08…ACFQ', payment_type: 'P2P', payment_origination_country: 'USA',
     *   payment_amount: { amount: '105.15', currency: 'USD' },
     *   quote_type: { forward: { receiver_currency: 'GBP', fees_included: 'true' } },
     *   sender_account_uri: 'tel:+254108989', recipient_account_uri: 'ewallet:paypal_user011',
     * });
     * const proposalId = quote.proposals?.proposal?.[0]?.id;
     * ```
     */
    create(request: QuoteRequest, options?: RequestOptions): Promise<Quote>;
    /** Confirms a proposal (reserves funds). */
    confirm(reference: QuoteReference, options?: RequestOptions): Promise<QuoteConfirmation>;
    /** Cancels a confirmed proposal (releases reserved funds). */
    cancel(reference: QuoteReference, options?: RequestOptions): Promise<QuoteCancellation>;
    /**
     * Retrieves a confirmed quote's status: `result.quote.confirmStatus.status` (e.g. `CONFIRMED`),
     * `result.quote.cancelStatus`, `result.quote.proposals`.
     */
    retrieve(reference: QuoteReference, options?: RequestOptions): Promise<ConfirmedQuote>;
  };
  payments: {
    /**
     * Sends a payment. Never resent blindly: only a `SYSTEM_ERROR` (which asks for an identical
     * resubmission), 429/503 or a connection that failed before sending are retried.
     */
    create(request: PaymentRequest, options?: RequestOptions): Promise<Payment>;
    /** Retrieves a payment by id (`rem_…`) or by `{ reference }`. */
    retrieve(lookup: PaymentLookup, options?: RequestOptions): Promise<Payment>;
    /** Cancels a pending payment; resolves with Mastercard's `cancelpayment.status`. */
    cancel(paymentId: string, options?: RequestOptions): Promise<PaymentCancellation>;
  };
  rates: {
    /** Carded FX rates (not available in Mastercard's sandbox). */
    list(options?: RequestOptions): Promise<Rates>;
  };
  balances: {
    /** All prefunding accounts. */
    list(options?: BalanceOptions): Promise<Account[]>;
    /** One prefunding account. */
    retrieve(accountId: string, options?: BalanceOptions): Promise<Account>;
  };
  /** Requests for information (RFI): retrieve, answer, upload and download documents. */
  rfi: RfiApi;
  /** Account Validation (IBAN, CES, ASV) and IBAN generation; always encrypted. */
  accounts: AccountsApi;
  /** Bank Information Lookup; always encrypted. */
  banks: BanksApi;
  /** Address Validation. */
  addresses: AddressesApi;
  /** Endpoint Guide: per-corridor field rules. */
  endpointGuide: EndpointGuideApi;
  /** Cash pickup catalogue (paged, with an async iterator over all pages). */
  cashPickup: CashPickupApi;
}

/** The Cross-Border group of a client. */
export function createCrossBorderApi(call: ApiCaller, defaultPartnerId: string | undefined, encrypted = true): CrossBorderApi {
  const xb = createCrossBorderCaller(call, defaultPartnerId, encrypted);
  const partner = xb.partnerPath;
  const send = (operation: string, method: 'GET' | 'POST', path: string, json: unknown, options: RequestOptions | undefined, query?: Record<string, string | boolean | undefined>) =>
    xb.send(operation, method, path, json, options, query === undefined ? {} : { query });
  const payment = async (operation: string, promise: ReturnType<typeof send>) =>
    normalizeResponse(expectMember((await promise).json, 'payment', operation)) as Payment;
  const reference = (value: QuoteReference) => ({ transactionReference: value.transactionReference, proposalId: value.proposalId });

  return {
    quotes: {
      async create(request, options) {
        const response = await send('quotes.create', 'POST', `${partner(options, true)}/quotes`, { quoterequest: toWireStrings(request) }, options);
        return normalizeResponse(expectMember(response.json, 'quote', 'quotes.create')) as Quote;
      },
      async confirm(value, options) {
        const response = await send('quotes.confirm', 'POST', `${partner(options, false)}/quotes/confirmations`, reference(value), options);
        return normalizeResponse(expectObject(response.json, 'quotes.confirm')) as QuoteConfirmation;
      },
      async cancel(value, options) {
        const response = await send('quotes.cancel', 'POST', `${partner(options, false)}/quotes/cancellations`, reference(value), options);
        return normalizeResponse(expectObject(response.json, 'quotes.cancel')) as QuoteCancellation;
      },
      async retrieve(value, options) {
        const path = `${partner(options, false)}/quotes/${segment(value.transactionReference, 'transactionReference')}/proposals/${segment(value.proposalId, 'proposalId')}`;
        const response = await send('quotes.retrieve', 'GET', path, undefined, options);
        return normalizeResponse(expectObject(response.json, 'quotes.retrieve')) as ConfirmedQuote;
      },
    },
    payments: {
      create: async (request, options) =>
        payment('payments.create', send('payments.create', 'POST', `${partner(options, true)}/payment`, { paymentrequest: toWireStrings(request) }, options)),
      async retrieve(lookup, options) {
        if (typeof lookup === 'object' && 'reference' in lookup) {
          return payment('payments.retrieve', send('payments.retrieve', 'GET', partner(options, true), undefined, options, { ref: lookup.reference }));
        }
        const id = typeof lookup === 'string' ? lookup : lookup.id;
        return payment('payments.retrieve', send('payments.retrieve', 'GET', `${partner(options, true)}/${segment(id, 'paymentId')}`, undefined, options));
      },
      async cancel(paymentId, options) {
        // An empty object: the reference app sends an unwrapped object of null members, which the
        // gateway ignores (api-facts §2.14 corrects the `cancelpaymentrequest: ""` of §2.6.6).
        const path = `${partner(options, true)}/${segment(paymentId, 'paymentId')}/cancel`;
        const response = await send('payments.cancel', 'POST', path, {}, options);
        return normalizeResponse(expectMember(response.json, 'cancelpayment', 'payments.cancel')) as PaymentCancellation;
      },
    },
    rates: {
      async list(options) {
        const response = await send('rates.list', 'GET', `${partner(options, true)}/rates`, undefined, options);
        return normalizeResponse(expectMember(response.json, 'rates', 'rates.list')) as Rates;
      },
    },
    balances: {
      async list(options) {
        const query = options?.includeBalance === undefined ? undefined : { include_balance: options.includeBalance };
        const response = await send('balances.list', 'GET', `${partner(options, false)}/accounts`, undefined, options, query);
        return normalizeResponse(expectArray(response.json, 'balances.list')) as Account[];
      },
      async retrieve(accountId, options) {
        const query = options?.includeBalance === undefined ? undefined : { include_balance: options.includeBalance };
        const path = `${partner(options, false)}/accounts/${segment(accountId, 'accountId')}`;
        const response = await send('balances.retrieve', 'GET', path, undefined, options, query);
        return normalizeResponse(expectObject(response.json, 'balances.retrieve')) as Account;
      },
    },
    rfi: createRfiApi(xb),
    ...createValidationApis(xb),
    ...createCatalogApis(xb),
  };
}
