import type { RequestOptions } from '../client/request-options.js';
import type { components } from '../generated/cross-border.js';
import { type Normalized, normalizeResponse } from '../normalize/normalize.js';
import type { CrossBorderCaller } from './cross-border-caller.js';
import { expectObject } from './response-shape.js';

type Schemas = components['schemas'];
export type AccountValidationRequest = Schemas['AccountValidationRequest'];
/** `status` SUCCESS / FAILURE / IN_PROGRESS (finalised by an Account Validation Push), `accountMatch`, `receivingEligibility`. */
export type AccountValidation = Normalized<Schemas['AccountValidation']>;
export type IbanGenerationRequest = Schemas['IbanGenerationRequest'];
export type IbanGeneration = Normalized<Schemas['IbanGeneration']>;
export type BankLookupRequest = Schemas['BankLookupRequest'];
export type BankLookup = Normalized<Schemas['BankLookup']>;
export type AddressValidationRequest = Schemas['AddressValidationRequest'];
export type AddressValidation = Normalized<Schemas['AddressValidation']>;

/** Account Validation and IBAN generation (always JWE-encrypted). */
export interface AccountsApi {
  /**
   * Validates an IBAN, a card (CES: card eligibility) or a bank account (ASV)
   * (`POST …/crossborder/accounts/validations`, header `Partner-Ref-Id`).
   *
   * @example
   * ```ts
   * const result = await client.crossBorder.accounts.validate({ accountUri: { type: 'IBAN', value: 'FR070331234567890123456' } });
   * result.status; // 'SUCCESS'
   * ```
   */
  validate(request: AccountValidationRequest, options?: RequestOptions): Promise<AccountValidation>;
  /**
   * Generates an IBAN from a BAN + country, or branch code + account number + country.
   *
   * @example
   * ```ts
   * const { ibanDetails } = await client.crossBorder.accounts.generateIbans({ country: 'FRA', accountUri: { type: 'ban', value: '20041010050500013M02606' } });
   * ```
   */
  generateIbans(request: IbanGenerationRequest, options?: RequestOptions): Promise<IbanGeneration>;
}

/** Bank Information Lookup (always JWE-encrypted). */
export interface BanksApi {
  /**
   * Finds banks by name or code (`POST …/crossborder/banks/details`); neither is `130303`.
   *
   * @example
   * ```ts
   * const { bankInfo } = await client.crossBorder.banks.lookup({ bank: { country: 'AUS', bic: { type: 'CHIPS', value: '0001SUC20002' } } });
   * ```
   */
  lookup(request: BankLookupRequest, options?: RequestOptions): Promise<BankLookup>;
}

/** Address Validation (United States addresses). */
export interface AddressesApi {
  /**
   * Validates a free-text address (`POST /send/address-validation-service/addresses/validations`).
   *
   * @example
   * ```ts
   * const { status, verification } = await client.crossBorder.addresses.validate({ country: 'USA', address: '4 CLARK STREET, EVERETT, MA, 02149' });
   * ```
   */
  validate(request: AddressValidationRequest, options?: RequestOptions): Promise<AddressValidation>;
}

/** The validation groups of `client.crossBorder`. */
export function createValidationApis(xb: CrossBorderCaller): { accounts: AccountsApi; banks: BanksApi; addresses: AddressesApi } {
  // Partner-Ref-Id: "unique reference ID of the business partner"; the reference app sends the
  // partner id (api-facts §2.2). A `headers` option overrides it.
  const partnerRef = (options: RequestOptions | undefined) => ({ 'partner-ref-id': xb.partnerId(options) });
  const correlated = 'x-mc-correlation-id';
  return {
    accounts: {
      async validate(request, options) {
        const path = `${xb.partnerPath(options, false)}/accounts/validations`;
        const response = await xb.send('accounts.validate', 'POST', path, request, options, { headers: partnerRef(options), requiresEncryption: true });
        return normalizeResponse(expectObject(response.json, 'accounts.validate')) as AccountValidation;
      },
      async generateIbans(request, options) {
        const path = `${xb.partnerPath(options, false)}/accounts/generate-ibans`;
        const response = await xb.send('accounts.generateIbans', 'POST', path, request, options, { headers: partnerRef(options), requiresEncryption: true });
        return normalizeResponse(expectObject(response.json, 'accounts.generateIbans')) as IbanGeneration;
      },
    },
    banks: {
      async lookup(request, options) {
        const path = `${xb.partnerPath(options, false)}/banks/details`;
        const response = await xb.send('banks.lookup', 'POST', path, request, options, {
          headers: partnerRef(options),
          correlationHeader: correlated,
          requiresEncryption: true,
        });
        return normalizeResponse(expectObject(response.json, 'banks.lookup')) as BankLookup;
      },
    },
    addresses: {
      async validate(request, options) {
        const response = await xb.send('addresses.validate', 'POST', '/send/address-validation-service/addresses/validations', request, options, {
          headers: partnerRef(options),
          correlationHeader: correlated,
        });
        return normalizeResponse(expectObject(response.json, 'addresses.validate')) as AddressValidation;
      },
    },
  };
}
