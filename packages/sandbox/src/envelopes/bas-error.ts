// Benefit Allocation errors (api-facts §1.5): `{"Errors":{"Error":[{Source, ReasonCode,
// Description, Recoverable, Details}]}}` with a capital E, `Error` always an array here.

/** One item of the BAS error envelope. */
export interface BasErrorItem {
  Source: string;
  ReasonCode: string;
  Description: string;
  Recoverable: boolean;
  Details?: string;
}

/** The BAS error envelope. */
export interface BasErrorEnvelope {
  Errors: { Error: BasErrorItem[] };
}

/** Source string the sandbox puts in BAS errors (spec example `Benefit Allocation Service`). */
export const BAS_SOURCE = 'Benefit Allocation Service';

/** A BAS error response: HTTP status plus envelope. */
export interface BasErrorResponse {
  status: number;
  body: BasErrorEnvelope;
  error: true;
}

/** Builds a BAS error response. */
export function basError(
  status: number,
  reasonCode: string,
  description: string,
  details?: string,
  recoverable = false,
): BasErrorResponse {
  const item: BasErrorItem = { Source: BAS_SOURCE, ReasonCode: reasonCode, Description: description, Recoverable: recoverable };
  if (details !== undefined) item.Details = details;
  return { status, body: { Errors: { Error: [item] } }, error: true };
}

/** ReasonCode 50, HTTP 400: invalid card number, segment code or date (api-facts §1.5). */
export function basInvalid(details: string): BasErrorResponse {
  return basError(400, '50', 'invalid card number, segment code, date', details);
}

/** ReasonCode 43: the card has no segment assigned / no available account (api-facts §1.5). */
export function basNoSegment(details: string): BasErrorResponse {
  return basError(400, '43', 'card has no segment assigned', details);
}

/** PERMISSION_DENIED, HTTP 403: the card belongs to another requester (api-facts §1.5). */
export function basPermissionDenied(details = 'cardNumber not mapped to requester'): BasErrorResponse {
  return basError(403, 'PERMISSION_DENIED', 'caller is not authorised for this card', details);
}
