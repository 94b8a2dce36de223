import { randomBytes } from 'node:crypto';

// Cross-Border errors (api-facts §2.7): `{"Errors":{"Error":[{RequestId, Source, ReasonCode,
// Description, Recoverable, Details:{Detail:[{Name:"ErrorDetailCode", Value:"082000"}]}}]}}`.
// Mastercard sometimes sends `Error` as an object; the sandbox always sends the array form.

/** One item of the Cross-Border error envelope. */
export interface CrossBorderErrorItem {
  RequestId: string;
  Source: string;
  ReasonCode: string;
  Description: string;
  Recoverable: boolean;
  Details?: { Detail: Array<{ Name: string; Value: string }> };
}

/** The Cross-Border error envelope. */
export interface CrossBorderErrorEnvelope {
  Errors: { Error: CrossBorderErrorItem[] };
}

/** A Cross-Border error response: HTTP status plus envelope. */
export interface CrossBorderErrorResponse {
  status: number;
  body: CrossBorderErrorEnvelope;
  error: true;
}

// ErrorDetailCode → ReasonCode and description (api-facts §2.10). Codes 13xxxx not listed are
// DECLINE, as in every sandbox example.
const knownCodes: Record<string, { reason: string; description: string }> = {
  '050007': { reason: 'AUTHORIZATION_FAILED', description: 'Unauthorized access' },
  '062000': { reason: 'INVALID_INPUT_FORMAT', description: 'Value contains invalid character' },
  '072000': { reason: 'INVALID_INPUT_LENGTH', description: 'Invalid length' },
  '082000': { reason: 'INVALID_INPUT_VALUE', description: 'Invalid input value' },
  '092000': { reason: 'MISSING_REQUIRED_INPUT', description: 'Missing required input' },
  '110507': { reason: 'RESOURCE_UNKNOWN', description: 'Record not found' },
  '130101': { reason: 'DECLINE', description: 'Invalid recipient currency' },
  '130111': { reason: 'DECLINE', description: 'Cancellation not permitted on this transaction' },
  '130113': { reason: 'DECLINE', description: 'No routing option for beneficiary URI provided' },
  '130118': { reason: 'DECLINE', description: 'Sending amount greater than the per-transaction maximum' },
  '130120': { reason: 'DECLINE', description: 'Maximum cumulative transactions exceeded by sending consumer' },
  '130192': { reason: 'PROVIDER_NOT_ENABLED_PRE_FUND', description: 'Provider not enabled for prefunding' },
  '130193': { reason: 'SETTLEMENT_ACCOUNT_NOT_FOUND', description: 'Settlement account not found' },
  '130194': { reason: 'DECLINE', description: 'Duplicate quote confirmation' },
  '130195': { reason: 'DECLINE', description: 'Confirmation requested for expired quote' },
  '130196': { reason: 'DECLINE', description: 'Insufficient prefunding balance' },
  '130197': { reason: 'DECLINE', description: 'Cancellation already requested' },
  // The reason of 130214 is not documented (api-facts §2.10 "?"): a size problem, reported as
  // INVALID_INPUT_LENGTH (HTTP 400) rather than a 402 decline.
  '130214': { reason: 'INVALID_INPUT_LENGTH', description: 'The uploaded document exceeds 1 MB' },
  '130303': { reason: 'REQUIRED_BANK_CODE_OR_BANK_NAME', description: 'Either bank code or bank name is mandatory' },
  '130305': { reason: 'INVALID_BANK_IDENTIFIER', description: 'Invalid bank identifier' },
  '130308': { reason: 'INVALID_CHECK_DIGIT', description: 'Invalid IBAN check digit' },
  '150001': { reason: 'SYSTEM_ERROR', description: 'A system error has occurred' },
};

/** True for an ErrorDetailCode of api-facts §2.10 (sandbox ids ending in one ask for it). */
export function isDocumentedCode(code: string): boolean {
  return Object.hasOwn(knownCodes, code) || code === '130105';
}

/** ReasonCode and description for an ErrorDetailCode (unknown 13xxxx codes are DECLINE). */
export function describeErrorCode(code: string): { reason: string; description: string } {
  return knownCodes[code] ?? { reason: code.startsWith('13') ? 'DECLINE' : 'INVALID_INPUT_VALUE', description: `Declined (${code})` };
}

// HTTP status per reason (api-facts §2.10 "HTTP status usage"): declines are 402, unknown
// records 404, system errors 500, input problems 400.
function statusFor(reason: string, method: string): number {
  if (reason === 'DECLINE') return method === 'GET' ? 400 : 402;
  if (reason === 'RESOURCE_UNKNOWN') return 404;
  if (reason === 'SYSTEM_ERROR') return 500;
  return 400;
}

/** Builds a Cross-Border error response for an ErrorDetailCode. */
export function crossBorderError(
  code: string,
  source: string,
  options: { method?: string; status?: number; description?: string; recoverable?: boolean; reason?: string } = {},
): CrossBorderErrorResponse {
  const known = describeErrorCode(code);
  const reason = options.reason ?? known.reason;
  const item: CrossBorderErrorItem = {
    RequestId: newRequestId(),
    Source: source,
    ReasonCode: reason,
    Description: options.description ?? known.description,
    Recoverable: options.recoverable ?? code === '150001',
    Details: { Detail: [{ Name: 'ErrorDetailCode', Value: code }] },
  };
  return { status: options.status ?? statusFor(reason, options.method ?? 'POST'), body: { Errors: { Error: [item] } }, error: true };
}

/** A gateway-level error without an ErrorDetailCode (authentication, faults). */
export function gatewayError(status: number, source: string, reasonCode: string, description: string): CrossBorderErrorResponse {
  return {
    status,
    body: { Errors: { Error: [{ RequestId: newRequestId(), Source: source, ReasonCode: reasonCode, Description: description, Recoverable: false }] } },
    error: true,
  };
}

function newRequestId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * A reused transaction_reference: DECLINE with Source `transaction_reference` (api-facts §2.4)
 * and HTTP 409, the status Mastercard documents for transaction-reference problems (§2.10).
 */
export function duplicateReference(): CrossBorderErrorResponse {
  return gatewayError(409, 'transaction_reference', 'DECLINE', 'Duplicate Transaction Reference Number');
}

/** A resubmission of a "fails once" sandbox case whose parameters differ from the first attempt: 082000 (§2.11). */
export function changedResubmission(source: string): CrossBorderErrorResponse {
  return crossBorderError('082000', source, { description: 'Resubmission with different parameters' });
}
