import { crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { CrossBorderState } from './cross-border-state.js';
import { requireHeaders } from './partner-headers.js';

// Cash pickup catalogue (api-facts §2.6.13): GET /crossborder/cash-pickup/{countries, cities,
// providers, branches}, partner in the `partner-id` header. Cities, providers and branches are
// paged with offset/limit and answer `{count, offset, limit, total, items}`. The sandbox's
// catalogue is small and fixed, large enough that paging has several pages.

type CashPickupType = 'PANY' | 'IN_NETWORK' | 'DIRECT';

const countries: Array<{ countryAlpha3: string; currency: string; cashPickupType: CashPickupType }> = [
  { countryAlpha3: 'MEX', currency: 'MXN', cashPickupType: 'IN_NETWORK' },
  { countryAlpha3: 'PHL', currency: 'PHP', cashPickupType: 'IN_NETWORK' },
  { countryAlpha3: 'IND', currency: 'INR', cashPickupType: 'DIRECT' },
  { countryAlpha3: 'NPL', currency: 'NPR', cashPickupType: 'DIRECT' },
  { countryAlpha3: 'MEX', currency: 'USD', cashPickupType: 'PANY' },
];

const cities: Array<{ country: string; currency: string; city: string; stateName: string }> = [
  ...['Ciudad de Mexico', 'Guadalajara', 'Monterrey', 'Puebla', 'Tijuana', 'Leon', 'Merida'].map((city, index) => ({
    country: 'MEX',
    currency: 'MXN',
    city,
    stateName: ['CDMX', 'Jalisco', 'Nuevo Leon', 'Puebla', 'Baja California', 'Guanajuato', 'Yucatan'][index]!,
  })),
  { country: 'PHL', currency: 'PHP', city: 'Manila', stateName: 'Metro Manila' },
  { country: 'PHL', currency: 'PHP', city: 'Cebu City', stateName: 'Cebu' },
  { country: 'IND', currency: 'INR', city: 'Mumbai', stateName: 'Maharashtra' },
  { country: 'NPL', currency: 'NPR', city: 'Kathmandu', stateName: 'Bagmati' },
];

const providers = [
  { providerId: 'prv_1001', providerCode: 'MXCASH1', providerName: 'Sandbox Efectivo', country: 'MEX', currency: 'MXN', cashPickupType: 'IN_NETWORK' },
  { providerId: 'prv_1002', providerCode: 'MXCASH2', providerName: 'Sandbox Remesas', country: 'MEX', currency: 'MXN', cashPickupType: 'IN_NETWORK' },
  { providerId: 'prv_1003', providerCode: 'MXPANY', providerName: 'Sandbox Pay Anywhere', country: 'MEX', currency: 'USD', cashPickupType: 'PANY' },
  { providerId: 'prv_2001', providerCode: 'PHCASH', providerName: 'Sandbox Padala', country: 'PHL', currency: 'PHP', cashPickupType: 'IN_NETWORK' },
  { providerId: 'prv_3001', providerCode: 'INDIR', providerName: 'Sandbox India Direct', country: 'IND', currency: 'INR', cashPickupType: 'DIRECT' },
  { providerId: 'prv_4001', providerCode: 'NP021', providerName: 'Sandbox Nepal Direct', country: 'NPL', currency: 'NPR', cashPickupType: 'DIRECT' },
] as const;

const branches = cities.flatMap((city, index) =>
  providers
    .filter((provider) => provider.country === city.country && provider.cashPickupType !== 'PANY')
    .map((provider, position) => ({
      ...provider,
      branchId: `brn_${provider.providerId.slice(4)}${String(index).padStart(2, '0')}${position}`,
      branchCode: `${provider.providerCode}${String(index).padStart(2, '0')}`,
      branchCity: city.city,
      branchState: city.stateName,
      branchAddress: `${10 + index} Sandbox Avenue`,
    })),
);

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

type Filter = Record<string, string | undefined>;

function page<T>(request: ServiceRequest, items: readonly T[]): ServiceResponse {
  const offset = integer(request.query.get('offset'), 0);
  const limit = integer(request.query.get('limit'), DEFAULT_LIMIT);
  if (offset === undefined || offset < 0) return crossBorderError('082000', 'offset', { method: 'GET' });
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) return crossBorderError('082000', 'limit', { method: 'GET' });
  const slice = items.slice(offset, offset + limit);
  return { status: 200, body: { count: slice.length, offset, limit, total: items.length, items: slice } };
}

function integer(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback;
  return /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

function filtered<T extends Record<string, unknown>>(items: readonly T[], filter: Filter): T[] {
  return items.filter((item) => Object.entries(filter).every(([key, value]) => value === undefined || item[key] === value));
}

function checkType(value: string | null): { ok: true; value: string | undefined } | { ok: false; error: ServiceResponse } {
  if (value === null || value === '') return { ok: true, value: undefined };
  if (!['PANY', 'IN_NETWORK', 'DIRECT'].includes(value)) return { ok: false, error: crossBorderError('082000', 'cash_pickup_type', { method: 'GET' }) };
  return { ok: true, value };
}

const query = (request: ServiceRequest, name: string) => request.query.get(name) || undefined;

/** GET /crossborder/cash-pickup/countries?cash_pickup_type= */
export function listCashPickupCountries(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['partner-id']);
  if (!headers.ok) return headers.error;
  const type = checkType(request.query.get('cash_pickup_type'));
  if (!type.ok) return type.error;
  return { status: 200, body: [{ items: filtered(countries, { cashPickupType: type.value }) }] };
}

/** GET /crossborder/cash-pickup/cities?country&currency&offset&limit */
export function listCashPickupCities(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['partner-id']);
  if (!headers.ok) return headers.error;
  const country = query(request, 'country');
  if (country === undefined) return crossBorderError('092000', 'country', { method: 'GET' });
  return page(request, filtered(cities, { country, currency: query(request, 'currency') }));
}

/** GET /crossborder/cash-pickup/providers?country&currency&cash_pickup_type&offset&limit */
export function listCashPickupProviders(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['partner-id']);
  if (!headers.ok) return headers.error;
  const country = query(request, 'country');
  if (country === undefined) return crossBorderError('092000', 'country', { method: 'GET' });
  const type = checkType(request.query.get('cash_pickup_type'));
  if (!type.ok) return type.error;
  return page(request, filtered(providers, { country, currency: query(request, 'currency'), cashPickupType: type.value }));
}

/** GET /crossborder/cash-pickup/branches?provider_id&state&city&offset&limit */
export function listCashPickupBranches(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['partner-id']);
  if (!headers.ok) return headers.error;
  const providerId = query(request, 'provider_id');
  if (providerId === undefined) return crossBorderError('092000', 'provider_id', { method: 'GET' });
  if (!providers.some((provider) => provider.providerId === providerId)) return crossBorderError('110507', 'provider_id', { method: 'GET' });
  return page(request, filtered(branches, { providerId, branchState: query(request, 'state'), branchCity: query(request, 'city') }));
}
