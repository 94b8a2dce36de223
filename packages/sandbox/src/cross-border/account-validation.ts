import { randomUUID } from 'node:crypto';
import { crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { CrossBorderState } from './cross-border-state.js';
import { notifyAccountValidation } from './notifications.js';
import { requireHeaders } from './partner-headers.js';
import { requireObject } from './validation.js';

// Account Validation, Bank Information Lookup and IBAN Generation (api-facts §2.6.8), always
// encrypted (§2.3: the route table marks them), with the sandbox values of §2.11. Account numbers
// never appear in an error: Source and Description name the field, not its value.

const body = (request: ServiceRequest) => (request.body ?? {}) as Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The IBAN Mastercard's sandbox documents as valid (api-facts §2.11). */
export const SANDBOX_IBAN = 'FR070331234567890123456';

const sampleBank = {
  bic: { type: 'SWIFT BIC', value: 'BNPAFRPPXXX' },
  name: 'BNP PARIBAS',
  branchName: 'PARIS CENTRE',
  branchCode: '00500',
  address: { line1: '16 BOULEVARD DES ITALIENS', city: 'PARIS', postalCode: '75009', country: 'FRA' },
};

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanChecksumValid(iban: string): boolean {
  return /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban) && mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let index = 0; index < pan.length; index++) {
    let digit = Number(pan[pan.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** POST /send/partners/{partner-id}/crossborder/accounts/validations */
export function validateAccount(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['Partner-Ref-Id']);
  if (!headers.ok) return headers.error;
  const uri = requireObject(body(request).accountUri, 'accountUri');
  if (!uri.ok) return uri.error;
  const type = str(uri.value.type)?.toUpperCase();
  const value = str(uri.value.value)?.replace(/\s/g, '') ?? '';
  if (type === undefined || type === '') return crossBorderError('092000', 'accountUri.type');
  if (!['IBAN', 'PAN', 'BAN'].includes(type)) return crossBorderError('082000', 'accountUri.type');
  if (value === '') return crossBorderError('092000', 'accountUri.value');
  const requestType = str(body(request).requestType)?.toUpperCase();
  if (requestType !== undefined && !['CES', 'ASV', 'IVS'].includes(requestType)) return crossBorderError('082000', 'requestType');
  const refId = randomUUID();
  const account = (kind: string) => ({ accounts: { account: [{ type: kind, value }] } });

  if (type === 'IBAN') {
    if (value.endsWith('ER00102')) return crossBorderError('130308', 'accountUri.value');
    if (value.endsWith('ER00113')) return crossBorderError('082000', 'accountUri.value', { description: 'Country not supported' });
    // Mastercard's documented sandbox IBAN does not pass ISO 13616's check itself; it is valid by
    // definition (§2.11). Any other IBAN is checked.
    if (value !== SANDBOX_IBAN && !ibanChecksumValid(value.toUpperCase())) return crossBorderError('130308', 'accountUri.value');
    return { status: 200, body: { status: 'SUCCESS', refId, message: 'Valid IBAN Structure', accountMatch: { ...account('IBAN'), bank: sampleBank } } };
  }
  if (type === 'PAN') {
    if (!/^\d{12,19}$/.test(value) || !luhnValid(value)) return crossBorderError('082000', 'accountUri.value', { description: 'Invalid card number' });
    // ASV (account status verification) is not testable in Mastercard's sandbox (§2.11): the
    // sandbox answers IN_PROGRESS, finalised later by an Account Validation Push.
    if (requestType === 'ASV') {
      notifyAccountValidation(request, request.project, request.params.partnerId ?? '', {
        refId,
        status: 'SUCCESS',
        message: 'Account is active',
        accountMatch: account('PAN'),
      });
      return { status: 200, body: { status: 'IN_PROGRESS', refId, message: 'Validation in progress' } };
    }
    const eligible = value !== '2000000000000014';
    return {
      status: 200,
      body: {
        status: 'SUCCESS',
        refId,
        message: 'Valid PAN',
        receivingEligibility: {
          crossBorder: { eligible: eligible ? 'Y' : 'N', fasterFunds: eligible ? 'Y' : 'N' },
          paymentSystem: 'MASTERCARD',
          product: 'Credit',
          status: eligible ? 'ELIGIBLE' : 'INELIGIBLE',
        },
      },
    };
  }
  return { status: 200, body: { status: 'SUCCESS', refId, message: 'Valid BAN Structure', accountMatch: account('BAN') } };
}

/** POST /send/partners/{partner-id}/crossborder/banks/details */
export function lookupBank(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['Partner-Ref-Id', 'X-Mc-Correlation-Id']);
  if (!headers.ok) return headers.error;
  const bank = requireObject(body(request).bank, 'bank');
  if (!bank.ok) return bank.error;
  const name = str(bank.value.name) ?? '';
  const bic = (bank.value.bic ?? {}) as Record<string, unknown>;
  const code = str(bic.value) ?? '';
  if (name === '' && code === '') return crossBorderError('130303', 'bank');
  const country = str(bank.value.country);
  if (country !== undefined && !/^[A-Z]{3}$/.test(country)) return crossBorderError('082000', 'bank.country');
  if (code.length > 35) return crossBorderError('072000', 'bank.bic.value');
  if (name.endsWith('ER20005')) return crossBorderError('110507', 'bank.name');
  const found = code.endsWith('SUC20002') || name.endsWith('SUC20003') || name.endsWith('SUC20004') || /^Fed(SUC)?00[2-5]$/.test(name);
  if (!found) return crossBorderError('110507', code === '' ? 'bank.name' : 'bank.bic.value');
  const where = country ?? 'AUS';
  const bankData = {
    bics: [
      {
        type: str(bic.type) ?? 'SWIFT BIC',
        value: code === '' ? 'SANDBOX0XXX' : code,
        ach: { enabled: where === 'USA', preferredRoutingNumber: where === 'USA' ? '122240861' : '' },
        wire: { enabled: true, preferredRoutingNumber: '' },
      },
    ],
    name: name === '' ? 'SANDBOX BANK' : name,
    branchName: 'MAIN BRANCH',
    address: { line1: '1 SANDBOX STREET', line2: '', city: 'SANDBOX CITY', country: where, countrySubdivision: '', postalCode: '0000' },
    sanctionDetails: { eu: false, hmt: false, ofac: false, un: false },
    localDetails: [{ bankName: name === '' ? 'SANDBOX BANK' : name, branchName: 'MAIN BRANCH', addressLine: '1 SANDBOX STREET', city: 'SANDBOX CITY' }],
  };
  return { status: 200, body: { bankInfo: { total: '1', banks: { bankData: [bankData] } } } };
}

/** ISO 3166 alpha-3 → alpha-2 for the IBAN countries the sandbox generates. */
const ibanCountries: Record<string, string> = { FRA: 'FR', ITA: 'IT', DEU: 'DE', ESP: 'ES', BEL: 'BE', NLD: 'NL', GBR: 'GB', AUT: 'AT', PRT: 'PT' };

/** POST /send/partners/{partner-id}/crossborder/accounts/generate-ibans */
export function generateIbans(_state: CrossBorderState, request: ServiceRequest): ServiceResponse {
  const headers = requireHeaders(request, ['Partner-Ref-Id']);
  if (!headers.ok) return headers.error;
  const input = body(request);
  const country = str(input.country);
  if (country === undefined || country === '') return crossBorderError('092000', 'country');
  const alpha2 = ibanCountries[country];
  if (alpha2 === undefined) return crossBorderError('082000', 'country', { description: 'Country not supported for IBAN generation' });
  const ban = str((input.accountUri as Record<string, unknown> | undefined)?.value);
  const branchCode = str(input.branchCode);
  const accountNo = str(input.accountNo);
  if (accountNo?.endsWith('ER00216')) return crossBorderError('082000', 'accountNo', { description: 'Invalid legacy (national) checksum' });
  if (accountNo?.endsWith('ER00203')) return crossBorderError('130305', 'accountNo');
  let bban: string;
  if (ban !== undefined && ban !== '') bban = ban;
  else if (branchCode !== undefined && accountNo !== undefined && branchCode !== '' && accountNo !== '') bban = `${branchCode}${accountNo}`;
  else return crossBorderError('092000', ban === undefined ? 'accountNo' : 'accountUri.value');
  bban = bban.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (bban.length < 8 || bban.length > 30) return crossBorderError('072000', 'accountUri.value');
  const check = String(98 - mod97(`${bban}${alpha2}00`)).padStart(2, '0');
  const iban = `${alpha2}${check}${bban}`;
  return {
    status: 200,
    body: { ibanDetails: { accounts: { account: [{ type: 'IBAN', value: iban }, { type: 'BAN', value: bban }] }, bank: sampleBank } },
  };
}
