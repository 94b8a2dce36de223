import { basError } from '../envelopes/bas-error.js';
import { type Operation, routeGatewayRequest } from '../gateway/gateway-routes.js';
import type { GatewayRoute } from '../gateway/gateway-types.js';
import { createRouteTable } from '../http/route-table.js';
import type { ServiceResponse } from '../service-types.js';
import type { BasState } from './bas-state.js';
import { freezeUnfreeze, replaceCard } from './card-operations.js';
import { assignSegment, cancelSegment, replaceSegment } from './segment-operations.js';

/** Base path of the Benefit Allocation API (api-facts §1.1). */
export const BAS_BASE_PATH = '/loyalty/benefits';

/** The five operations of the spec (api-facts §1.2), paths relative to {@link BAS_BASE_PATH}. */
export const basRoutes = createRouteTable<Operation<BasState>>([
  ['POST', '/card-segments', assignSegment],
  ['PUT', '/card-segments-replacements', replaceSegment],
  ['PUT', '/card-segments-cancellations', cancelSegment],
  ['POST', '/cards', replaceCard],
  ['PUT', '/cards', freezeUnfreeze],
]);

/** The operation for a method and full path, or the BAS error to answer (404, 405 with `Allow`). */
export function findBasOperation(state: BasState, method: string, fullPath: string): GatewayRoute | ServiceResponse {
  const notFound = (path: string) => basError(404, 'RESOURCE_NOT_FOUND', 'resource not found', path);
  if (!fullPath.startsWith(`${BAS_BASE_PATH}/`)) return notFound(fullPath);
  return routeGatewayRequest(basRoutes, state, method, fullPath.slice(BAS_BASE_PATH.length), {
    notFound,
    methodNotAllowed: (requested, path) => basError(405, 'METHOD_NOT_ALLOWED', 'method not allowed', `${requested} ${path}`),
    malformedPath: (_requested, segment) => notFound(segment),
  });
}
