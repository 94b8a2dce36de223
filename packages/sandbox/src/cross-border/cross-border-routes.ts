import { crossBorderError, gatewayError } from '../envelopes/cross-border-error.js';
import { type Operation, routeGatewayRequest } from '../gateway/gateway-routes.js';
import type { GatewayRoute } from '../gateway/gateway-types.js';
import { createRouteTable } from '../http/route-table.js';
import type { ServiceResponse } from '../service-types.js';
import { generateIbans, lookupBank, validateAccount } from './account-validation.js';
import { validateAddress } from './address-validation.js';
import { getAccount, listAccounts } from './balances.js';
import { listCashPickupBranches, listCashPickupCities, listCashPickupCountries, listCashPickupProviders } from './cash-pickup.js';
import { retrieveEndpointGuide } from './endpoint-guide.js';
import { downloadRfiDocument, MAX_DOCUMENT_BYTES, retrieveRfi, updateRfi, uploadRfiDocument } from './rfi.js';
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
  ['POST', '/send/partners/:partnerId/crossborder/accounts/validations', validateAccount],
  ['POST', '/send/partners/:partnerId/crossborder/accounts/generate-ibans', generateIbans],
  ['POST', '/send/partners/:partnerId/crossborder/banks/details', lookupBank],
  ['GET', '/send/partners/:partnerId/crossborder/rfi/requests/:requestId', retrieveRfi],
  ['POST', '/send/partners/:partnerId/crossborder/rfi/requests/:requestId', updateRfi],
  ['POST', '/send/partners/:partnerId/crossborder/rfi/documents', uploadRfiDocument],
  ['GET', '/send/partners/:partnerId/crossborder/rfi/documents/:documentId', downloadRfiDocument],
  ['POST', '/send/address-validation-service/addresses/validations', validateAddress],
  ['GET', '/crossborder/endpoint-guide/specifications', retrieveEndpointGuide],
  ['GET', '/crossborder/cash-pickup/countries', listCashPickupCountries],
  ['GET', '/crossborder/cash-pickup/cities', listCashPickupCities],
  ['GET', '/crossborder/cash-pickup/providers', listCashPickupProviders],
  ['GET', '/crossborder/cash-pickup/branches', listCashPickupBranches],
]);

/**
 * Operations Mastercard always encrypts (api-facts §2.3: account validation, bank lookup, IBAN
 * generation): a plaintext body is refused whatever `encryption.requireCrossBorder` says.
 */
const alwaysEncrypted = createRouteTable<true>([
  ['POST', '/send/partners/:partnerId/crossborder/accounts/validations', true],
  ['POST', '/send/partners/:partnerId/crossborder/accounts/generate-ibans', true],
  ['POST', '/send/partners/:partnerId/crossborder/banks/details', true],
]);

/** True when Mastercard refuses a plaintext body on this operation. */
export function requiresEncryptedBody(method: string, path: string): boolean {
  return alwaysEncrypted.match(method, path).kind === 'found';
}

// An RFI document may be up to 1 MB, base64 (4/3) inside a JWE (4/3 again) and JSON: room for the
// sandbox to answer 130214 itself for a larger one, as Mastercard does, rather than a 413.
const documentUpload = createRouteTable<true>([['POST', '/send/partners/:partnerId/crossborder/rfi/documents', true]]);

/** The largest body the gateway reads for a request to this path. */
export function maxBodyBytes(method: string, path: string, fallback: number): number {
  return documentUpload.match(method, path).kind === 'found' ? Math.max(fallback, 4 * MAX_DOCUMENT_BYTES) : fallback;
}

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
