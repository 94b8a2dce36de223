import { inspect } from 'node:util';

/**
 * Every way an error reaches a log, as one string: `JSON.stringify`, `util.inspect`, `String()`,
 * and the message, stack and own properties of each error in the cause chain. A redaction test
 * asserts what this string does not contain.
 *
 * @example
 * ```ts
 * expect(everyView(error)).not.toContain(pan);
 * ```
 */
export function everyView(error: Error): string {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    chain.push(current.message, String(current.stack), JSON.stringify(Object.entries(current)));
    current = current.cause;
  }
  return [JSON.stringify(error), inspect(error, { depth: 10 }), `${error}`, ...chain].join('\n');
}
