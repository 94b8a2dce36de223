import { McapiError, redact, redactText } from '@mcapi/errors';
import type { MastercardError } from './error-envelope.js';

/** What {@link McapiApiError} is built from. */
export interface McapiApiErrorInit {
  status: number;
  method: string;
  /** The request URL; only its path is kept (query strings may carry references), PANs masked. */
  url: string;
  errors: MastercardError[];
  /** Mastercard's request id: the envelope's `RequestId`, else a response header. */
  requestId?: string;
  headers: Readonly<Record<string, string>>;
  /** The parsed body, for anything the envelope does not cover. */
  body: unknown;
}

const marker = 'Acceptable signature base string:';

/**
 * An HTTP error answer from a Mastercard API, carrying the parsed error envelope. Subclasses by
 * status: {@link BadRequestError} 400, {@link AuthenticationError} 401, {@link DeclinedError} 402
 * (Cross-Border: transfer declined), {@link PermissionDeniedError} 403, {@link NotFoundError} 404,
 * {@link ConflictError} 409 (transaction reference problems), {@link RateLimitError} 429,
 * {@link ServerError} 5xx. Code `ERR_API`. The message holds the reason code, description and
 * source (card numbers masked), never credentials.
 *
 * @example
 * ```ts
 * try { await client.crossBorder.payments.create(partnerId, request); }
 * catch (error) {
 *   if (error instanceof DeclinedError) console.log(error.reasonCode, error.errorDetailCode);
 * }
 * ```
 */
export class McapiApiError extends McapiError {
  readonly status: number;
  readonly method: string;
  /** The request path without the query; a PAN in it keeps only its first 6 / last 4 digits. */
  readonly path: string;
  /**
   * Every entry of the envelope; `errors[0]` is what the message describes. Redacted like the
   * message (PANs masked), since errors end up in logs whole.
   */
  readonly errors: readonly MastercardError[];
  readonly requestId: string | undefined;
  /** Response headers, redacted (a gateway may echo a credential or set a cookie). */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed error body, redacted (PANs masked, secret-named members removed). */
  readonly body: unknown;

  constructor(init: McapiApiErrorInit) {
    const first = init.errors[0];
    // A card number can be part of the path (`/cards/{pan}`): mask it before anything keeps it.
    const path = redactText(safePath(init.url));
    const summary = first
      ? [first.reasonCode, first.description, first.source ? `(source: ${first.source})` : undefined]
          .filter((part) => part !== undefined && part !== '')
          .join(' ')
      : 'no Mastercard error envelope in the body';
    super('ERR_API', redactText(`${init.method} ${path} failed with HTTP ${init.status}: ${summary}${hint(init.status)}`));
    this.status = init.status;
    this.method = init.method;
    this.path = path;
    // A gateway may echo request fields (a card number) in Details; logging the error must not
    // write them out, so what the error keeps is redacted once, here.
    this.errors = redact(init.errors);
    this.requestId = init.requestId;
    this.headers = redact(init.headers);
    this.body = redact(init.body);
  }

  /** `ReasonCode` of the first error, trimmed (`DECLINE`, `SYSTEM_ERROR`, `50`, …). */
  get reasonCode(): string | undefined {
    return this.errors[0]?.reasonCode;
  }
  get source(): string | undefined {
    return this.errors[0]?.source;
  }
  get description(): string | undefined {
    return this.errors[0]?.description;
  }
  get recoverable(): boolean | undefined {
    return this.errors[0]?.recoverable;
  }
  /** Cross-Border `ErrorDetailCode` (6 digits, e.g. `150001`) of the first error, if any. */
  get errorDetailCode(): string | undefined {
    const details = this.errors[0]?.details;
    if (!Array.isArray(details)) return undefined;
    return details.find((detail) => detail.name.toLowerCase() === 'errordetailcode')?.value;
  }
  /**
   * For an OAuth signature failure, the signature base string the gateway expected (Mastercard
   * puts it in `Description`): compare it with yours to find the difference.
   */
  get acceptableBaseString(): string | undefined {
    for (const error of this.errors) {
      for (const text of [error.description, typeof error.details === 'string' ? error.details : undefined]) {
        const at = text?.indexOf(marker) ?? -1;
        if (text !== undefined && at >= 0) return text.slice(at + marker.length).trim();
      }
    }
    return undefined;
  }
}

function hint(status: number): string {
  if (status === 401) return '. Check the consumer key, the signing key and the clock, or the client certificate.';
  if (status === 429) return '. Too many requests: slow down (the client already retried).';
  return '';
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}

/** HTTP 400: the request was malformed or a value is invalid (`INVALID_INPUT_VALUE`, BAS `50`). */
export class BadRequestError extends McapiApiError {}
/** HTTP 401: authentication failed; see `acceptableBaseString` for signature mismatches. */
export class AuthenticationError extends McapiApiError {}
/** HTTP 402: Cross-Border "request failed": the transfer was declined (`DECLINE`). */
export class DeclinedError extends McapiApiError {}
/** HTTP 403: the credentials lack permission (`PERMISSION_DENIED`). */
export class PermissionDeniedError extends McapiApiError {}
/** HTTP 404: the resource is unknown (`RESOURCE_UNKNOWN`). */
export class NotFoundError extends McapiApiError {}
/** HTTP 409: transaction-reference conflict (e.g. a duplicate reference). */
export class ConflictError extends McapiApiError {}
/** HTTP 429: rate limited; `retryAfterMs` when the server said. */
export class RateLimitError extends McapiApiError {}
/** HTTP 5xx: Mastercard-side failure (`SYSTEM_ERROR`). */
export class ServerError extends McapiApiError {}

/**
 * The {@link McapiApiError} subclass for a status.
 *
 * @example
 * ```ts
 * throw createApiError({ status: 402, method: 'POST', url, errors, headers: {}, body });
 * ```
 */
export function createApiError(init: McapiApiErrorInit): McapiApiError {
  const { status } = init;
  if (status === 400) return new BadRequestError(init);
  if (status === 401) return new AuthenticationError(init);
  if (status === 402) return new DeclinedError(init);
  if (status === 403) return new PermissionDeniedError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 409) return new ConflictError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new ServerError(init);
  return new McapiApiError(init);
}
