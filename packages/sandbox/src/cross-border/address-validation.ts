import { crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { CrossBorderState } from './cross-border-state.js';
import { requireHeaders } from './partner-headers.js';
import { requireString } from './validation.js';

// Address Validation (api-facts §2.6.10): POST /send/address-validation-service/addresses/validations,
// United States only, with the four sandbox addresses of §2.11. Any other US address is
// INVALID / UNVERIFIED, as Mastercard's sandbox "requires the listed test addresses".

interface Known {
  status: 'VALID' | 'INVALID';
  verification: 'VERIFIED' | 'PARTIALLY VERIFIED' | 'UNVERIFIED' | 'AMBIGUOUS';
  addressMatch?: Record<string, unknown>;
}

const known: Array<[RegExp, Known]> = [
  [
    /^4 CLARK STREET,? EVERETT,? MA,? 02149$/,
    {
      status: 'VALID',
      verification: 'VERIFIED',
      addressMatch: {
        address: '4 Clark St, Everett, MA 02149-1234',
        line1: '4 Clark St',
        country: 'USA',
        countrySubdivision: 'MA',
        city: 'Everett',
        streetName: 'Clark St',
        buildingNumber: '4',
        postalCode: '02149-1234',
      },
    },
  ],
  [
    /^420 MONTGOMERY ST\.? SF CA$/,
    {
      status: 'VALID',
      verification: 'PARTIALLY VERIFIED',
      addressMatch: {
        address: '420 Montgomery St, San Francisco, CA 94104',
        line1: '420 Montgomery St',
        country: 'USA',
        countrySubdivision: 'CA',
        city: 'San Francisco',
        streetName: 'Montgomery St',
        buildingNumber: '420',
        postalCode: '94104',
      },
    },
  ],
  [/^420 MAIN$/, { status: 'INVALID', verification: 'UNVERIFIED' }],
  [/^7151 45TH SEATTLE WA$/, { status: 'INVALID', verification: 'AMBIGUOUS' }],
];

/** POST /send/address-validation-service/addresses/validations */
export function validateAddress(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['Partner-Ref-Id', 'X-Mc-Correlation-Id']);
  if (!headers.ok) return headers.error;
  const input = (request.body ?? {}) as Record<string, unknown>;
  const country = requireString(input.country, 'country');
  if (!country.ok) return country.error;
  // Only activated countries are supported; the first is the United States (§2.6.10).
  if (country.value !== 'US' && country.value !== 'USA') return crossBorderError('082000', 'country', { description: 'Country not supported' });
  const address = requireString(input.address, 'address');
  if (!address.ok) return address.error;
  const normalised = address.value.trim().replace(/\s+/g, ' ').toUpperCase();
  const match = known.find(([pattern]) => pattern.test(normalised))?.[1] ?? { status: 'INVALID', verification: 'UNVERIFIED' };
  return { status: 200, body: { ...match } };
}
