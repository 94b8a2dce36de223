import { McapiError } from '@mcapi/errors';

/** One step of a {@link JsonPath}. */
export type JsonPathSegment = { type: 'key'; key: string } | { type: 'index'; index: number } | { type: 'wildcard' };

/** A parsed JSON path; `segments` is empty for `$` (the whole document). */
export interface JsonPath {
  readonly source: string;
  readonly segments: readonly JsonPathSegment[];
}

/** A concrete position in a document: object keys and array indices from the root. */
export type JsonLocation = readonly (string | number)[];

/** One value found by {@link queryJsonPath}. */
export interface JsonMatch {
  location: JsonLocation;
  value: unknown;
}

function pathError(path: string, why: string): McapiError {
  return new McapiError(
    'ERR_PAYLOAD_PATH',
    `Invalid JSON path ${JSON.stringify(path)}: ${why}. Use $, $.a.b, $['a'], $.items[0] or $.items[*].card.`,
  );
}

/**
 * Parses a JSON path: `$` (the whole body), dotted (`$.card.pan`, or Mastercard's `card.pan`
 * without `$`), bracketed (`$['card']["pan"]`), array indices (`$.items[0]`) and wildcards
 * (`$.items[*].pan`, `$.*`). Paths are parsed once, when a cipher is created.
 *
 * @throws {McapiError} `ERR_PAYLOAD_PATH` when the path is not one this library supports (it names the part).
 *
 * @example
 * ```ts
 * parseJsonPath("$.items[*]['card number']").segments;
 * // [{ type: 'key', key: 'items' }, { type: 'wildcard' }, { type: 'key', key: 'card number' }]
 * ```
 */
export function parseJsonPath(path: string): JsonPath {
  if (typeof path !== 'string' || path.trim() === '') throw pathError(String(path), 'empty');
  const segments: JsonPathSegment[] = [];
  let i = 0;
  if (path.startsWith('$')) {
    i = 1;
  } else {
    // Mastercard's configs write "path.to.foo": a leading name without "$.".
    i = readName(path, 0, segments);
  }
  while (i < path.length) {
    const char = path[i];
    if (char === '.') {
      if (path[i + 1] === '.') throw pathError(path, 'recursive descent ".." is not supported');
      i = readName(path, i + 1, segments);
    } else if (char === '[') {
      i = readBracket(path, i, segments);
    } else {
      throw pathError(path, `unexpected ${JSON.stringify(char)} at ${i}`);
    }
  }
  return { source: path, segments };
}

function readName(path: string, start: number, segments: JsonPathSegment[]): number {
  let end = start;
  while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
  const name = path.slice(start, end);
  if (name === '') throw pathError(path, `empty name at ${start}`);
  if (name.includes(']')) throw pathError(path, `unexpected "]" in ${JSON.stringify(name)}`);
  segments.push(name === '*' ? { type: 'wildcard' } : { type: 'key', key: name });
  return end;
}

function readBracket(path: string, start: number, segments: JsonPathSegment[]): number {
  const quote = path[start + 1];
  if (quote === "'" || quote === '"') {
    let key = '';
    let i = start + 2;
    for (; i < path.length && path[i] !== quote; i++) {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i];
    }
    if (path[i] !== quote || path[i + 1] !== ']') throw pathError(path, `unterminated [${quote}…${quote}] at ${start}`);
    segments.push({ type: 'key', key });
    return i + 2;
  }
  const end = path.indexOf(']', start);
  if (end === -1) throw pathError(path, `unterminated [ at ${start}`);
  const inner = path.slice(start + 1, end);
  if (inner === '*') segments.push({ type: 'wildcard' });
  else if (/^(0|[1-9][0-9]{0,8})$/.test(inner)) segments.push({ type: 'index', index: Number(inner) });
  else throw pathError(path, `[${inner}] is neither an index, * nor a quoted name`);
  return end + 1;
}

/** The number of `*` segments in a path. */
export function wildcardCount(path: JsonPath): number {
  return path.segments.filter((segment) => segment.type === 'wildcard').length;
}

/**
 * Every value the path designates in `root`, with its concrete location. Absent members give no
 * match (never an error); wildcards expand over array elements and object members.
 *
 * @throws {McapiError} `ERR_PAYLOAD_PATH` when `path` is a string that is not a supported JSON path.
 *
 * @example
 * ```ts
 * queryJsonPath({ items: [{ pan: '1' }, { pan: '2' }] }, '$.items[*].pan');
 * // [{ location: ['items', 0, 'pan'], value: '1' }, { location: ['items', 1, 'pan'], value: '2' }]
 * ```
 */
export function queryJsonPath(root: unknown, path: JsonPath | string): JsonMatch[] {
  const { segments } = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: JsonMatch[] = root === undefined ? [] : [{ location: [], value: root }];
  for (const segment of segments) {
    const next: JsonMatch[] = [];
    for (const { location, value } of current) {
      if (typeof value !== 'object' || value === null) continue;
      if (segment.type === 'wildcard') {
        if (Array.isArray(value)) {
          for (const [index, item] of value.entries()) next.push({ location: [...location, index], value: item });
        } else for (const key of Object.keys(value)) next.push({ location: [...location, key], value: (value as Record<string, unknown>)[key] });
      } else if (segment.type === 'index') {
        if (Array.isArray(value) && segment.index < value.length) {
          next.push({ location: [...location, segment.index], value: value[segment.index] });
        }
      } else if (!Array.isArray(value) && Object.hasOwn(value, segment.key)) {
        next.push({ location: [...location, segment.key], value: (value as Record<string, unknown>)[segment.key] });
      }
    }
    current = next;
  }
  return current.filter((match) => match.value !== undefined);
}

/**
 * The value at a concrete location (own members only), or `undefined`.
 *
 * @example
 * ```ts
 * getAtLocation({ items: [{ pan: '1' }] }, ['items', 0, 'pan']); // '1'
 * ```
 */
export function getAtLocation(root: unknown, location: JsonLocation): unknown {
  let value = root;
  for (const step of location) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof step === 'number' ? !Array.isArray(value) : Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/**
 * Returns a copy of `root` with `value` at `location`, creating missing objects (and arrays for
 * numeric steps) on the way. `root` is never mutated: only the containers along the path are
 * copied, the rest is shared.
 *
 * @example
 * ```ts
 * setAtLocation({ a: { b: 1 } }, ['a', 'c'], 2); // { a: { b: 1, c: 2 } }
 * ```
 */
export function setAtLocation(root: unknown, location: JsonLocation, value: unknown): unknown {
  if (location.length === 0) return value;
  const [step, ...rest] = location as [string | number, ...(string | number)[]];
  const container = copyContainer(root, typeof step === 'number');
  const child = getAtLocation(root, [step]);
  defineMember(container, step, setAtLocation(child, rest, value));
  return container;
}

/**
 * Returns a copy of `root` without the member at `location` (no-op when absent). Array elements
 * cannot be removed this way (indices would shift): that throws `ERR_PAYLOAD_PATH`.
 *
 * @throws {McapiError} `ERR_PAYLOAD_PATH` when the location is an array element.
 *
 * @example
 * ```ts
 * deleteAtLocation({ a: { b: 1, c: 2 } }, ['a', 'b']); // { a: { c: 2 } }
 * ```
 */
export function deleteAtLocation(root: unknown, location: JsonLocation): unknown {
  if (location.length === 0) return undefined;
  if (getAtLocation(root, location) === undefined) return root;
  const [step, ...rest] = location as [string | number, ...(string | number)[]];
  if (rest.length === 0) {
    if (typeof step === 'number') {
      throw new McapiError('ERR_PAYLOAD_PATH', `Cannot move array element ${formatJsonPath(location)}; encrypt array elements in place.`);
    }
    const copy = { ...(root as Record<string, unknown>) };
    delete copy[step];
    return copy;
  }
  const container = copyContainer(root, typeof step === 'number');
  defineMember(container, step, deleteAtLocation(getAtLocation(root, [step]), rest));
  return container;
}

/**
 * Formats a concrete location as a JSON path (`$.items[0]['card number']`).
 *
 * @example
 * ```ts
 * formatJsonPath(['items', 0, 'pan']); // '$.items[0].pan'
 * ```
 */
export function formatJsonPath(location: JsonLocation): string {
  let path = '$';
  for (const step of location) {
    if (typeof step === 'number') path += `[${step}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step) && step !== '*') path += `.${step}`;
    else path += `['${step.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return path;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A container of the kind the step needs: a copy of the existing one, or a new one when there is
// none or it is of the other kind (a key step replaces an array, an index step an object).
function copyContainer(value: unknown, asArray: boolean): Record<string | number, unknown> {
  if (asArray) return (Array.isArray(value) ? [...value] : []) as unknown as Record<number, unknown>;
  return isJsonObject(value) ? { ...value } : {};
}

// defineProperty, not assignment: a "__proto__" key from a JSON body must stay a plain member
// and never reach the prototype.
function defineMember(container: Record<string | number, unknown>, step: string | number, value: unknown): void {
  Object.defineProperty(container, step, { value, writable: true, enumerable: true, configurable: true });
}
