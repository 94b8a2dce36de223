import { McapiError } from '@mcapi/errors';

/**
 * Serialises a value as JSON like `JSON.stringify`, except that `bigint` is written as an exact
 * JSON integer (Mastercard's int64 card numbers): `{"cardNumber":5291070000000000123}`.
 * `undefined` properties are omitted (Cross-Border asks to omit empty members); non-finite
 * numbers are refused rather than silently written as `null`.
 *
 * @example
 * ```ts
 * stringifyJsonLossless({ cardNumber: 5291070000000000123n }); // '{"cardNumber":5291070000000000123}'
 * ```
 */
export function stringifyJsonLossless(value: unknown): string {
  return write(value, 'body') ?? 'null';
}

function write(value: unknown, where: string): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new McapiError('ERR_INVALID_OPTION', `${where} is ${value}, which JSON cannot carry; pass a finite number.`);
      }
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return write(object.toJSON(), where);
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => write(item, `${where}[${index}]`) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const text = write(entry, `${where}.${key}`);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
