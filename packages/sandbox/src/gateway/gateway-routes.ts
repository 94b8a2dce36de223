import type { RouteTable } from '../http/route-table.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { GatewayRoute } from './gateway-types.js';

/** A service operation over its state. */
export type Operation<S> = (state: S, request: ServiceRequest) => ServiceResponse;

/** The API's answers for requests no operation takes, in its own envelope. */
export interface RouteErrors {
  notFound(path: string): ServiceResponse;
  /** `Allow` is added to whatever this returns. */
  methodNotAllowed(method: string, path: string): ServiceResponse;
  malformedPath(method: string, segment: string): ServiceResponse;
}

/**
 * Resolves a gateway request through a route table: the operation bound to its state, or the
 * API's 404 / 405 (with `Allow`) / 400. `checkParams` refuses path parameters the API validates
 * (Cross-Border's partner id) before any operation runs.
 */
export function routeGatewayRequest<S>(
  table: RouteTable<Operation<S>>,
  state: S,
  method: string,
  path: string,
  errors: RouteErrors,
  checkParams: (params: Record<string, string>) => ServiceResponse | undefined = () => undefined,
): GatewayRoute | ServiceResponse {
  const match = table.match(method, path);
  switch (match.kind) {
    case 'not-found':
      return errors.notFound(path);
    case 'malformed-path':
      return errors.malformedPath(method, match.segment);
    case 'method-not-allowed': {
      const refused = errors.methodNotAllowed(method, path);
      return { ...refused, headers: { ...refused.headers, allow: match.allow.join(', ') } };
    }
    case 'found': {
      const refused = checkParams(match.params);
      if (refused) return refused;
      const operation = match.handler;
      return { handler: (request) => operation(state, request), params: match.params, path };
    }
  }
}
