import { McapiError } from '@mcapi/errors';
import { type ApiCaller, segment } from '../client/api-caller.js';
import type { RequestOptions } from '../client/request-options.js';
import type { PipelineResponse } from '../pipeline/types.js';

/** What differs between Cross-Border operations beyond method, path and body. */
export interface CrossBorderCallExtras {
  query?: Record<string, string | boolean | number | undefined>;
  /** Default headers (lower-case names); the caller's `headers` option wins. */
  headers?: Record<string, string>;
  /** The API requires the correlation id in this header whatever `correlationIdHeader` says. */
  correlationHeader?: string;
  /** The per-attempt timeout is never shorter than this (RFI calls: 40 s, api-facts §2.6.9). */
  minTimeoutMs?: number;
  /** Mastercard always encrypts this API (§2.3): refuse to send it in plaintext. */
  requiresEncryption?: boolean;
}

/** The shared plumbing of the Cross-Border API groups. */
export interface CrossBorderCaller {
  /** The partner id of a call: the per-request option, else the client's. */
  partnerId(options: RequestOptions | undefined): string;
  /** `/send[/v1]/partners/{partner-id}/crossborder`. */
  partnerPath(options: RequestOptions | undefined, v1: boolean): string;
  send(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    json: unknown,
    options: RequestOptions | undefined,
    extras?: CrossBorderCallExtras,
  ): Promise<PipelineResponse>;
}

/**
 * Builds the {@link CrossBorderCaller} every Cross-Border group uses, so the partner id, the
 * idempotency rule and the encryption requirement are decided in one place.
 *
 * @example
 * ```ts
 * const xb = createCrossBorderCaller(call, 'SANDBOX_1234567', true);
 * await xb.send('rfi.retrieve', 'GET', `${xb.partnerPath(undefined, false)}/rfi/requests/${id}`, undefined, undefined);
 * ```
 */
export function createCrossBorderCaller(call: ApiCaller, defaultPartnerId: string | undefined, encrypted: boolean): CrossBorderCaller {
  const partnerId = (options: RequestOptions | undefined) => {
    const id = options?.partnerId ?? defaultPartnerId;
    if (id === undefined) {
      throw new McapiError('ERR_INVALID_OPTION', 'crossBorder.partnerId is not set: pass it to createClient or per request.');
    }
    return id;
  };
  return {
    partnerId,
    partnerPath: (options, v1) => `/send${v1 ? '/v1' : ''}/partners/${segment(partnerId(options), 'partnerId')}/crossborder`,
    async send(operation, method, path, json, options, extras = {}) {
      if (extras.requiresEncryption && !encrypted) {
        // Mastercard refuses these in plaintext; sending them would only leak account numbers.
        throw new McapiError(
          'ERR_INVALID_OPTION',
          `crossBorder.${operation} is always JWE-encrypted by Mastercard: configure the encryption keys and leave crossBorder.encrypt on.`,
        );
      }
      return call({
        operation: `crossBorder.${operation}`,
        method,
        path,
        json,
        // GETs only: every Cross-Border POST creates or changes something, and a reused
        // transaction_reference is declined as a duplicate.
        idempotent: method === 'GET',
        options,
        ...(extras.query === undefined ? {} : { query: extras.query }),
        ...(extras.headers === undefined ? {} : { headers: extras.headers }),
        ...(extras.correlationHeader === undefined ? {} : { correlationHeader: extras.correlationHeader }),
        ...(extras.minTimeoutMs === undefined ? {} : { minTimeoutMs: extras.minTimeoutMs }),
      });
    },
  };
}
