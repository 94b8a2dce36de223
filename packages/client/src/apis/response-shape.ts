import { McapiError } from '@mcapi/errors';

/** The body as an object, or `ERR_RESPONSE_INVALID` naming the operation. */
export function expectObject(value: unknown, operation: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new McapiError('ERR_RESPONSE_INVALID', `${operation}: expected a JSON object in the response, got ${describe(value)}.`);
}

/** The body as an array, or `ERR_RESPONSE_INVALID`. */
export function expectArray(value: unknown, operation: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new McapiError('ERR_RESPONSE_INVALID', `${operation}: expected a JSON array in the response, got ${describe(value)}.`);
}

/** `body[member]` as an object (Cross-Border root wrappers such as `quote`, `payment`). */
export function expectMember(value: unknown, member: string, operation: string): Record<string, unknown> {
  const inner = expectObject(value, operation)[member];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as Record<string, unknown>;
  throw new McapiError('ERR_RESPONSE_INVALID', `${operation}: the response has no "${member}" object.`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'an empty body';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
