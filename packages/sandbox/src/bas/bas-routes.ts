import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import type { BasState } from './bas-state.js';
import { freezeUnfreeze, replaceCard } from './card-operations.js';
import { assignSegment, cancelSegment, replaceSegment } from './segment-operations.js';

/** Base path of the Benefit Allocation API (api-facts §1.1). */
export const BAS_BASE_PATH = '/loyalty/benefits';

type Operation = (state: BasState, request: ServiceRequest) => ServiceResponse;

// The five operations of the spec (api-facts §1.2), keyed by "METHOD path".
const operations: Record<string, Operation> = {
  'POST /card-segments': assignSegment,
  'PUT /card-segments-replacements': replaceSegment,
  'PUT /card-segments-cancellations': cancelSegment,
  'POST /cards': replaceCard,
  'PUT /cards': freezeUnfreeze,
};

const knownPaths = new Set(Object.keys(operations).map((key) => key.split(' ')[1]));

/** The operation for a method and path (relative to the base path), or why there is none. */
export function findBasOperation(method: string, path: string): Operation | 'not-found' | 'method-not-allowed' {
  const operation = operations[`${method} ${path}`];
  if (operation) return operation;
  return knownPaths.has(path) ? 'method-not-allowed' : 'not-found';
}
