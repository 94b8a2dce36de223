import { REDACTED } from './pan.js';
import { isSecretKey, redact, redactText, safeErrorMessage } from './redact.js';

// Deeper cause chains are cut: nothing useful is that deep, and a cycle must end.
const maxDepth = 8;
const brand = Symbol.for('@mcapi/errors.McapiError');

/**
 * The `cause` an {@link McapiError} keeps: the original when it carries nothing to redact (so
 * `error.cause === original` and its class still match), otherwise a copy of the same class with
 * the message, stack and own properties redacted and its own `cause` treated the same way. A
 * non-error cause is redacted like any value.
 *
 * @example
 * ```ts
 * new McapiError('ERR_CONNECTION', 'failed', { cause: redactCause(undiciError) });
 * ```
 */
export function redactCause(cause: unknown, depth = 0): unknown {
  if (typeof cause === 'string') return redactText(cause);
  if (typeof cause !== 'object' || cause === null) return redact(cause);
  // An McapiError redacted its message and cause when it was made.
  if ((cause as Record<symbol, unknown>)[brand] === true) return cause;
  if (!(cause instanceof Error)) return redact(cause);
  if (depth >= maxDepth) return new Error('(cause chain cut)');

  const message = safeErrorMessage(cause);
  const stack = redactStack(cause, message);
  let changed = message !== cause.message || stack !== cause.stack;
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cause)) {
    const safe = isSecretKey(key) ? REDACTED : redact(value);
    // Objects are always copied by redact(): treat them as changed rather than compare deeply.
    if (safe !== value) changed = true;
    properties[key] = safe;
  }
  const hasCause = 'cause' in cause;
  const nested = hasCause ? redactCause(cause.cause, depth + 1) : undefined;
  if (nested !== cause.cause) changed = true;
  const aggregated = cause instanceof AggregateError ? cause.errors.map((item) => redactCause(item, depth + 1)) : undefined;
  if (aggregated?.some((item, index) => item !== (cause as AggregateError).errors[index])) changed = true;
  if (!changed) return cause;

  const copy = new Error(message);
  Object.setPrototypeOf(copy, Object.getPrototypeOf(cause));
  Object.defineProperty(copy, 'stack', { value: stack, writable: true, configurable: true });
  if (Object.hasOwn(cause, 'name')) Object.defineProperty(copy, 'name', { value: cause.name, writable: true, configurable: true });
  Object.assign(copy, properties);
  if (hasCause) Object.defineProperty(copy, 'cause', { value: nested, writable: true, configurable: true });
  if (aggregated) Object.defineProperty(copy, 'errors', { value: aggregated, writable: true, configurable: true });
  return copy;
}

// The stack starts with "Name: message"; swap in the safe message and redact the frames (paths
// in frames are source files, but a frame can quote an eval'd string).
function redactStack(error: Error, message: string): string | undefined {
  const { stack } = error;
  if (typeof stack !== 'string') return stack;
  const header = `${error.name}: ${error.message}`;
  if (stack.startsWith(header)) {
    const frames = stack.slice(header.length);
    const safeFrames = redactText(frames);
    return message === error.message && safeFrames === frames ? stack : `${error.name}: ${message}${safeFrames}`;
  }
  const safe = redactText(stack);
  return safe === stack ? stack : safe;
}
