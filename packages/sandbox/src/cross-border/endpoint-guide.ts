import { crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { CrossBorderState } from './cross-border-state.js';
import { requireHeaders } from './partner-headers.js';

// Endpoint Guide (api-facts §2.6.11): GET /crossborder/endpoint-guide/specifications with
// payment_type, destination_country, destination_currency, destination_payment_instrument and
// the headers Partner-Ref-Id, Specification-Type (TEG | BEG), X-Mc-Correlation-Id. A generic
// partner gets generic rules (§2.6.11); the sandbox serves them for its corridors and answers
// 110507 for any other.

const corridors: Record<string, string[]> = {
  USA: ['USD'],
  GBR: ['GBP'],
  FRA: ['EUR'],
  IND: ['INR'],
  MEX: ['MXN', 'USD'],
  PHL: ['PHP'],
};
const instruments = ['BANK', 'CARD', 'CASH', 'WALLET'];
const paymentTypes = ['P2P', 'P2B', 'B2P', 'B2B', 'G2P'];

const field = (fieldName: string, mandatory: 'Yes' | 'No', validationPattern: string, extra: Record<string, unknown> = {}) => ({
  fieldName,
  mandatory,
  validationPattern,
  specialNotes: '',
  lastUpdatedTime: '2026-01-05T00:00:00Z',
  ...extra,
});

function technical(country: string, instrument: string) {
  const addressMandatory = country === 'USA' ? 'Yes' : 'No';
  const fields = [
    field('sender.first_name', 'Yes', '^.{1,35}$'),
    field('sender.last_name', 'Yes', '^.{1,35}$'),
    field('sender.address.line1', 'Yes', '^[a-zA-Z0-9.\\s,\\-:#_/]{0,200}$'),
    field('sender.address.city', addressMandatory, '^.{0,35}$'),
    field('sender.address.country_subdivision', addressMandatory, '^.{0,35}$'),
    field('sender.address.postal_code', addressMandatory, '^[0-9a-zA-Z]{0,10}$'),
    field('sender.address.country', 'Yes', '^[A-Z]{3}$'),
    field('recipient.first_name', 'Yes', '^.{1,35}$'),
    field('recipient.last_name', 'Yes', '^.{1,35}$'),
    field('recipient.government_ids[].government_id_uri', 'No', '^(ppn|ssn|ein|tin|aln|cus|idc|dln):[A-Za-z0-9]{1,80}(;expiration-date=\\d{4}-\\d{2}-\\d{2})?$'),
    field('additional_data', 'Yes', '', {
      additionalFieldId: '7260',
      additionalFieldName: 'Beneficiary payment instrument',
      supportedValues: [{ id: instrument, name: instrument }],
    }),
  ];
  if (instrument === 'BANK') fields.push(field('recipient_account_uri', 'Yes', '^(iban|ban):[A-Za-z0-9;=]{1,64}$'));
  if (instrument === 'CASH') fields.push(field('bank_code', 'Yes', '^[A-Za-z0-9]{1,20}$'));
  return { specialNotes: 'Sandbox corridor: generic rules.', lastUpdatedTime: '2026-01-05T00:00:00Z', fields };
}

function business(country: string) {
  return {
    specialNotes: 'Sandbox corridor: generic business rules.',
    lastUpdatedTime: '2026-01-05T00:00:00Z',
    transactionLimits: { maximumAmount: '10000.00', currency: corridors[country]?.[0] ?? 'USD' },
    deliveryTime: 'Within 1 business day',
  };
}

/** GET /crossborder/endpoint-guide/specifications */
export function retrieveEndpointGuide(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['Partner-Ref-Id', 'Specification-Type', 'X-Mc-Correlation-Id']);
  if (!headers.ok) return headers.error;
  const specification = headers.values['Specification-Type']!.toUpperCase();
  if (specification !== 'TEG' && specification !== 'BEG') return crossBorderError('082000', 'Specification-Type', { method: 'GET' });
  const query: Record<string, string> = {};
  for (const name of ['payment_type', 'destination_country', 'destination_currency', 'destination_payment_instrument']) {
    const value = request.query.get(name);
    if (value === null || value === '') return crossBorderError('092000', name, { method: 'GET' });
    query[name] = value;
  }
  const { payment_type: paymentType, destination_country: country, destination_currency: currency, destination_payment_instrument: instrument } =
    query as Record<string, string>;
  if (!paymentTypes.includes(paymentType!)) return crossBorderError('082000', 'payment_type', { method: 'GET' });
  if (!corridors[country!]?.includes(currency!) || !instruments.includes(instrument!)) {
    return crossBorderError('110507', 'destination_country', { method: 'GET' });
  }
  const corridor: Record<string, unknown> = {
    paymentType,
    destinationCountry: country,
    destinationCurrency: currency,
    destinationPaymentInstrument: instrument,
  };
  if (specification === 'TEG') corridor.technical = technical(country!, instrument!);
  else corridor.business = business(country!);
  return { status: 200, body: [corridor] };
}
