import type { RequestOptions } from '../client/request-options.js';
import type { components } from '../generated/cross-border.js';
import { type Normalized, normalizeResponse } from '../normalize/normalize.js';
import type { CrossBorderCaller } from './cross-border-caller.js';
import { expectArray, expectObject } from './response-shape.js';

type Schemas = components['schemas'];
/** One corridor's rules: `technical.fields[]` (TEG) or `business` (BEG). */
export type EndpointGuide = Normalized<Schemas['EndpointGuide']>;
export type CashPickupType = Schemas['CashPickupType'];
export type CashPickupCountry = Normalized<Schemas['CashPickupCountry']>;
export type CashPickupCity = Normalized<Schemas['CashPickupCity']>;
export type CashPickupProvider = Normalized<Schemas['CashPickupProvider']>;
export type CashPickupBranch = Normalized<Schemas['CashPickupBranch']>;

/** Which corridor's endpoint guide to fetch. */
export interface EndpointGuideQuery {
  paymentType: Schemas['PaymentType'];
  /** ISO 3166 alpha-3. */
  destinationCountry: string;
  destinationCurrency: string;
  /** e.g. `BANK`, `CARD`, `CASH`, `WALLET`. */
  destinationPaymentInstrument: string;
  /** `TEG` (technical endpoint guide: fields, patterns) or `BEG` (business). */
  specification: 'TEG' | 'BEG';
}

/** One page of a cash pickup list. */
export interface CashPickupPage<T> {
  count?: number;
  offset?: number;
  limit?: number;
  total?: number;
  items: T[];
  [member: string]: unknown;
}

/** Paging of the cash pickup lists (`offset` from 0, `limit` up to 100). */
export interface PageQuery {
  offset?: number;
  limit?: number;
}
export interface CashPickupCitiesQuery extends PageQuery {
  country: string;
  currency?: string;
}
export interface CashPickupProvidersQuery extends PageQuery {
  country: string;
  currency?: string;
  cashPickupType?: CashPickupType;
}
export interface CashPickupBranchesQuery extends PageQuery {
  providerId: string;
  state?: string;
  city?: string;
}

/** Endpoint Guide: per-corridor mandatory fields and patterns. */
export interface EndpointGuideApi {
  /**
   * `GET /crossborder/endpoint-guide/specifications` (headers `Partner-Ref-Id`,
   * `Specification-Type`). Mastercard advises caching the answer for a week.
   *
   * @example
   * ```ts
   * const [corridor] = await client.crossBorder.endpointGuide.retrieve({
   *   paymentType: 'P2P', destinationCountry: 'IND', destinationCurrency: 'INR', destinationPaymentInstrument: 'BANK', specification: 'TEG',
   * });
   * const mandatory = corridor?.technical?.fields?.filter((field) => field.mandatory === 'Yes');
   * ```
   */
  retrieve(query: EndpointGuideQuery, options?: RequestOptions): Promise<EndpointGuide[]>;
}

/** Cash pickup catalogue: where recipients can collect cash. */
export interface CashPickupApi {
  /**
   * Countries with cash pickup (not paged).
   *
   * @example
   * ```ts
   * const countries = await client.crossBorder.cashPickup.countries({ cashPickupType: 'IN_NETWORK' });
   * ```
   */
  countries(query?: { cashPickupType?: CashPickupType }, options?: RequestOptions): Promise<CashPickupCountry[]>;
  /** One page of cities of a country. */
  cities(query: CashPickupCitiesQuery, options?: RequestOptions): Promise<CashPickupPage<CashPickupCity>>;
  /** One page of providers (`providerCode` is the `bank_code` of an IN_NETWORK payment). */
  providers(query: CashPickupProvidersQuery, options?: RequestOptions): Promise<CashPickupPage<CashPickupProvider>>;
  /** One page of a provider's branches (`branchCode` is the `bank_code` of a DIRECT payment). */
  branches(query: CashPickupBranchesQuery, options?: RequestOptions): Promise<CashPickupPage<CashPickupBranch>>;
  /**
   * Every item of a paged list, fetching page after page (from `offset`, `limit` per page) until
   * `total` is reached or a page comes back empty.
   *
   * @example
   * ```ts
   * for await (const branch of client.crossBorder.cashPickup.all('branches', { providerId: 'prv_1001', limit: 50 })) {
   *   console.log(branch.branchCode, branch.branchCity);
   * }
   * ```
   */
  all(list: 'cities', query: CashPickupCitiesQuery, options?: RequestOptions): AsyncIterableIterator<CashPickupCity>;
  all(list: 'providers', query: CashPickupProvidersQuery, options?: RequestOptions): AsyncIterableIterator<CashPickupProvider>;
  all(list: 'branches', query: CashPickupBranchesQuery, options?: RequestOptions): AsyncIterableIterator<CashPickupBranch>;
}

/** The catalogue groups of `client.crossBorder`. */
export function createCatalogApis(xb: CrossBorderCaller): { endpointGuide: EndpointGuideApi; cashPickup: CashPickupApi } {
  const cash = '/crossborder/cash-pickup';
  // The cash pickup APIs take the partner in a `partner-id` header (api-facts §2.2).
  const partnerHeader = (options: RequestOptions | undefined) => ({ 'partner-id': xb.partnerId(options) });
  const page = async <T>(operation: string, list: string, query: Record<string, string | number | undefined>, options: RequestOptions | undefined) => {
    const response = await xb.send(`cashPickup.${operation}`, 'GET', `${cash}/${list}`, undefined, options, { query, headers: partnerHeader(options) });
    const body = normalizeResponse(expectObject(response.json, `cashPickup.${operation}`)) as Record<string, unknown>;
    const items = Array.isArray(body.items) ? (body.items as T[]) : [];
    return { ...body, items } as CashPickupPage<T>;
  };
  const paging = (query: PageQuery) => ({ offset: query.offset, limit: query.limit });
  const lists = {
    cities: (query: CashPickupCitiesQuery, options?: RequestOptions) =>
      page<CashPickupCity>('cities', 'cities', { country: query.country, currency: query.currency, ...paging(query) }, options),
    providers: (query: CashPickupProvidersQuery, options?: RequestOptions) =>
      page<CashPickupProvider>(
        'providers',
        'providers',
        { country: query.country, currency: query.currency, cash_pickup_type: query.cashPickupType, ...paging(query) },
        options,
      ),
    branches: (query: CashPickupBranchesQuery, options?: RequestOptions) =>
      page<CashPickupBranch>('branches', 'branches', { provider_id: query.providerId, state: query.state, city: query.city, ...paging(query) }, options),
  };
  return {
    endpointGuide: {
      async retrieve(query, options) {
        const response = await xb.send(
          'endpointGuide.retrieve',
          'GET',
          '/crossborder/endpoint-guide/specifications',
          undefined,
          options,
          {
            query: {
              payment_type: query.paymentType,
              destination_country: query.destinationCountry,
              destination_currency: query.destinationCurrency,
              destination_payment_instrument: query.destinationPaymentInstrument,
            },
            headers: { 'partner-ref-id': xb.partnerId(options), 'specification-type': query.specification },
            correlationHeader: 'x-mc-correlation-id',
          },
        );
        return normalizeResponse(expectArray(response.json, 'endpointGuide.retrieve')) as EndpointGuide[];
      },
    },
    cashPickup: {
      async countries(query = {}, options) {
        const response = await xb.send('cashPickup.countries', 'GET', `${cash}/countries`, undefined, options, {
          query: { cash_pickup_type: query.cashPickupType },
          headers: partnerHeader(options),
        });
        // An array of `{ items: [...] }` (api-facts §2.6.13), flattened to the countries.
        const groups = normalizeResponse(expectArray(response.json, 'cashPickup.countries')) as Array<{ items?: unknown }>;
        return groups.flatMap((group) => (Array.isArray(group?.items) ? (group.items as CashPickupCountry[]) : []));
      },
      ...lists,
      all: async function* (list: keyof typeof lists, query: PageQuery, options?: RequestOptions) {
        let offset = query.offset ?? 0;
        for (;;) {
          const current: CashPickupPage<unknown> = await (lists[list] as (q: PageQuery, o?: RequestOptions) => Promise<CashPickupPage<unknown>>)(
            { ...query, offset },
            options,
          );
          yield* current.items;
          offset += current.items.length;
          if (current.items.length === 0 || (typeof current.total === 'number' && offset >= current.total)) return;
        }
      } as CashPickupApi['all'],
    },
  };
}
