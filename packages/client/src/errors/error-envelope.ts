import { asArray, toBoolean } from '../normalize/normalize.js';

/** One `Detail` of a Mastercard error (`Name`/`Value`, e.g. `ErrorDetailCode` / `082000`). */
export interface MastercardErrorDetail {
  name: string;
  value: string;
}

/**
 * One entry of Mastercard's error envelope `{"Errors":{"Error":[…]}}`, normalised: `reasonCode`
 * trimmed (one sample carries `"DECLINE "`), `recoverable` a boolean when it was `"true"`/`"false"`,
 * `details` either the BAS free text or the Cross-Border `Detail` list.
 */
export interface MastercardError {
  source?: string;
  reasonCode?: string;
  description?: string;
  recoverable?: boolean;
  details?: string | MastercardErrorDetail[];
  requestId?: string;
}

/**
 * Reads Mastercard's error envelope from a parsed body, tolerating the variations seen in
 * practice: `Error` as an object or an array, `Details.Detail` likewise, member names in any case
 * (`details`/`detail`/`name`/`value`), numeric `ReasonCode`/`Value`/`RequestId`. Returns an empty
 * list when the body is not an envelope.
 *
 * @example
 * ```ts
 * parseErrorEnvelope({ Errors: { Error: { ReasonCode: 'DECLINE ', Recoverable: 'false' } } });
 * // [{ reasonCode: 'DECLINE', recoverable: false }]
 * ```
 */
export function parseErrorEnvelope(body: unknown): MastercardError[] {
  const errors = member(body, 'errors');
  if (errors === undefined) return [];
  return asArray(member(errors, 'error')).flatMap((raw) => (isRecord(raw) ? [toError(raw)] : []));
}

function toError(raw: Record<string, unknown>): MastercardError {
  const out: MastercardError = {};
  const source = text(member(raw, 'source'));
  if (source !== undefined) out.source = source;
  const reasonCode = text(member(raw, 'reasoncode'));
  if (reasonCode !== undefined) out.reasonCode = reasonCode.trim();
  const description = text(member(raw, 'description'));
  if (description !== undefined) out.description = description;
  const recoverable = toBoolean(member(raw, 'recoverable'));
  if (typeof recoverable === 'boolean') out.recoverable = recoverable;
  const requestId = text(member(raw, 'requestid'));
  if (requestId !== undefined) out.requestId = requestId;
  const details = member(raw, 'details');
  if (typeof details === 'string') out.details = details;
  else if (isRecord(details)) {
    out.details = asArray(member(details, 'detail')).flatMap((item) => {
      if (!isRecord(item)) return [];
      return [{ name: text(member(item, 'name')) ?? '', value: text(member(item, 'value')) ?? '' }];
    });
  }
  return out;
}

function member(value: unknown, lowerName: string): unknown {
  if (!isRecord(value)) return undefined;
  for (const key of Object.keys(value)) if (key.toLowerCase() === lowerName) return value[key];
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
