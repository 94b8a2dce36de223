/** A checked value, or the API's error answer for it. */
export type Checked<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Checks one field: `field` names it in the error (Mastercard's `Source`, BAS `Details`). */
export type Check<T, E> = (value: unknown, field: string) => Checked<T, E>;

/** A field that may be absent; when absent it is absent from the result too. */
export interface Optional<T, E> {
  readonly optional: Check<T, E>;
}

/** Marks a field optional in a {@link checkFields} shape. */
export function optional<T, E>(check: Check<T, E>): Optional<T, E> {
  return { optional: check };
}

/** One field of a {@link checkFields} shape whose failures are `E`. */
// biome-ignore lint/suspicious/noExplicitAny: a shape mixes fields of every value type
export type FieldCheck<E> = Check<any, E> | Optional<any, E>;

/**
 * A check whose value is turned into another (a wire object into the typed value the service uses).
 *
 * @example
 * ```ts
 * const checkAmount = mapCheck(amountObject, ({ amount, currency }) => ({ amount, currency, value: Number(amount) }));
 * ```
 */
export function mapCheck<T, U, E>(check: Check<T, E>, map: (value: T) => U): Check<U, E> {
  return (value, field) => {
    const checked = check(value, field);
    return checked.ok ? { ok: true, value: map(checked.value) } : checked;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the shape's error type is inferred per field
type AnyCheck = FieldCheck<any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyCheck
type Value<C> = C extends Optional<infer T, any> ? T : C extends Check<infer T, any> ? T : never;
// biome-ignore lint/suspicious/noExplicitAny: see AnyCheck
type ErrorOf<C> = C extends Optional<any, infer E> ? E : C extends Check<any, infer E> ? E : never;
// biome-ignore lint/suspicious/noExplicitAny: see AnyCheck
type RequiredKeys<S> = { [K in keyof S]: S[K] extends Optional<any, any> ? never : K }[keyof S];
// biome-ignore lint/suspicious/noExplicitAny: see AnyCheck
type OptionalKeys<S> = { [K in keyof S]: S[K] extends Optional<any, any> ? K : never }[keyof S];

/** The typed result of a shape: required fields present, optional ones possibly absent. */
export type Fields<S extends Record<string, AnyCheck>> = { [K in RequiredKeys<S>]: Value<S[K]> } & { [K in OptionalKeys<S>]?: Value<S[K]> };

/**
 * The one way the sandbox turns a parsed request body into a typed value: each field of `shape`
 * is checked in order and the first failure is the answer, in the API's own error form (the
 * checks decide: Cross-Border `092000`/`082000` with the field as `Source`, BAS ReasonCode 50,
 * the dashboard's `ERR_INVALID_OPTION`). Unknown members are ignored, as Mastercard's gateways do.
 *
 * @example
 * ```ts
 * const request = checkFields(body, { cardNumber: checkCardNumber, date: checkDate, isFrozen: checkBoolean });
 * if (!request.ok) return request.error;
 * freeze(request.value.cardNumber, request.value.date); // typed, no casts
 * ```
 */
export function checkFields<S extends Record<string, AnyCheck>>(
  object: Record<string, unknown>,
  shape: S,
  /** Prepended to field names in errors, for nested objects (`segments[0].`). */
  prefix = '',
): Checked<Fields<S>, ErrorOf<S[keyof S]>> {
  const value: Record<string, unknown> = {};
  for (const [field, check] of Object.entries(shape)) {
    const raw = object[field];
    const isOptional = typeof check !== 'function';
    if (isOptional && raw === undefined) continue;
    const checked = (isOptional ? check.optional : check)(raw, `${prefix}${field}`);
    if (!checked.ok) return checked;
    value[field] = checked.value;
  }
  return { ok: true, value: value as Fields<S> };
}
