import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { getAccount, listAccounts } from './balances.js';
import type { CrossBorderState } from './cross-border-state.js';
import { cancelPayment, createPayment, retrievePaymentById, retrievePaymentByReference } from './payments.js';
import { cancelConfirmedQuote, confirmQuote, retrieveConfirmedQuote } from './quote-confirmations.js';
import { createQuote } from './quotes.js';
import { checkPartnerId } from './validation.js';

// The Cross-Border operation catalogue the sandbox serves (api-facts §2.5). Carded rates are
// "not available in the sandbox" (§2.5) and answer as Mastercard's sandbox does: not found.

type Operation = (state: CrossBorderState, request: ServiceRequest) => ServiceResponse;

interface Route {
  method: string;
  segments: string[];
  operation: Operation;
}

const table: Array<[string, string, Operation]> = [
  ['POST', '/send/v1/partners/:partnerId/crossborder/quotes', createQuote],
  ['POST', '/send/partners/:partnerId/crossborder/quotes/confirmations', confirmQuote],
  ['POST', '/send/partners/:partnerId/crossborder/quotes/cancellations', cancelConfirmedQuote],
  ['GET', '/send/partners/:partnerId/crossborder/quotes/:transactionReference/proposals/:proposalId', retrieveConfirmedQuote],
  ['POST', '/send/v1/partners/:partnerId/crossborder/payment', createPayment],
  ['GET', '/send/v1/partners/:partnerId/crossborder', retrievePaymentByReference],
  ['GET', '/send/v1/partners/:partnerId/crossborder/:paymentId', retrievePaymentById],
  ['POST', '/send/v1/partners/:partnerId/crossborder/:paymentId/cancel', cancelPayment],
  ['GET', '/send/partners/:partnerId/crossborder/accounts', (_state, request) => listAccounts(request)],
  ['GET', '/send/partners/:partnerId/crossborder/accounts/:accountId', (_state, request) => getAccount(request)],
];

const routes: Route[] = table.map(([method, pattern, operation]) => ({ method, segments: pattern.split('/').slice(1), operation }));

function match(route: Route, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const expected = route.segments[index]!;
    const actual = segments[index]!;
    if (expected.startsWith(':')) {
      // Literal segments of other routes win over parameters (`/crossborder/payment`).
      params[expected.slice(1)] = decodeURIComponent(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** Finds the operation for a request path, or the error to answer. */
export function findCrossBorderOperation(
  state: CrossBorderState,
  method: string,
  path: string,
): { handler: (request: ServiceRequest) => ServiceResponse; params: Record<string, string>; path: string } | ServiceResponse {
  const segments = path.split('/').slice(1);
  let methodMismatch = false;
  for (const route of routes) {
    let params: Record<string, string> | undefined;
    try {
      params = match(route, segments);
    } catch {
      return crossBorderError('062000', 'path', { method });
    }
    if (!params) continue;
    // `GET …/crossborder/payment` must not read "payment" as a payment id, and so on.
    if (params.paymentId === 'payment' || params.paymentId === 'quotes' || params.paymentId === 'rates') continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    if (params.partnerId !== undefined) {
      const partner = checkPartnerId(params.partnerId);
      if (!partner.ok) return partner.error;
    }
    return { handler: (request) => route.operation(state, request), params, path };
  }
  if (methodMismatch) return gatewayError(405, 'Gateway', 'METHOD_NOT_ALLOWED', `${method} is not allowed on this resource`);
  return gatewayError(404, 'Gateway', 'RESOURCE_UNKNOWN', 'No such resource');
}
