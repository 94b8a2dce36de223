import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import { type Operation, routeGatewayRequest } from '../gateway/gateway-routes.js';
import type { GatewayRoute } from '../gateway/gateway-types.js';
import { createRouteTable } from '../http/route-table.js';
import type { ServiceResponse } from '../service-types.js';
import { getAccount, listAccounts } from './balances.js';
import type { CrossBorderState } from './cross-border-state.js';
import { cancelPayment, createPayment, retrievePaymentById, retrievePaymentByReference } from './payments.js';
import { cancelConfirmedQuote, confirmQuote, retrieveConfirmedQuote } from './quote-confirmations.js';
import { createQuote } from './quotes.js';
import { checkPartnerId } from './validation.js';

const noSuchResource = () => gatewayError(404, 'Gateway', 'RESOURCE_UNKNOWN', 'No such resource');

/**
 * The Cross-Border operation catalogue the sandbox serves (api-facts §2.5), as one route table:
 * literal segments win over parameters, so `…/crossborder/payment` and `…/crossborder/quotes` are
 * never read as payment ids. Carded rates are "not available in the sandbox" (§2.5) and answer as
 * Mastercard's sandbox does: not found. Extend the catalogue by adding a line.
 */
export const crossBorderRoutes = createRouteTable<Operation<CrossBorderState>>([
  ['POST', '/send/v1/partners/:partnerId/crossborder/quotes', createQuote],
  ['POST', '/send/partners/:partnerId/crossborder/quotes/confirmations', confirmQuote],
  ['POST', '/send/partners/:partnerId/crossborder/quotes/cancellations', cancelConfirmedQuote],
  ['GET', '/send/partners/:partnerId/crossborder/quotes/:transactionReference/proposals/:proposalId', retrieveConfirmedQuote],
  ['POST', '/send/v1/partners/:partnerId/crossborder/payment', createPayment],
  ['GET', '/send/v1/partners/:partnerId/crossborder', retrievePaymentByReference],
  ['GET', '/send/v1/partners/:partnerId/crossborder/rates', noSuchResource],
  ['GET', '/send/v1/partners/:partnerId/crossborder/:paymentId', retrievePaymentById],
  ['POST', '/send/v1/partners/:partnerId/crossborder/:paymentId/cancel', cancelPayment],
  ['GET', '/send/partners/:partnerId/crossborder/accounts', (_state, request) => listAccounts(request)],
  ['GET', '/send/partners/:partnerId/crossborder/accounts/:accountId', (_state, request) => getAccount(request)],
]);

/** Finds the operation for a request path, or the error to answer (404, 405 with `Allow`, 400). */
export function findCrossBorderOperation(state: CrossBorderState, method: string, path: string): GatewayRoute | ServiceResponse {
  return routeGatewayRequest(
    crossBorderRoutes,
    state,
    method,
    path,
    {
      notFound: noSuchResource,
      methodNotAllowed: (requested) => gatewayError(405, 'Gateway', 'METHOD_NOT_ALLOWED', `${requested} is not allowed on this resource`),
      malformedPath: (requested) => crossBorderError('062000', 'path', { method: requested }),
    },
    (params) => {
      if (params.partnerId === undefined) return undefined;
      const partner = checkPartnerId(params.partnerId);
      return partner.ok ? undefined : partner.error;
    },
  );
}
