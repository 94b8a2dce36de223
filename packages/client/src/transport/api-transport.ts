import { type CaSource, createMtlsTransport, type MtlsCredentials, type MtlsTransport, type ProxyOption } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';
import type { Followed } from '../config/last-derived.js';
import { followingTransport } from './following-transport.js';

/** How one API connects, as `resolveConfig` resolved it. */
export interface ApiTransportOptions {
  /**
   * Client certificate (Benefit Allocation); none for header-authenticated APIs. A function is a
   * keyring's active mtls key, read before every request: a rotation reloads the pool.
   */
  credentials?: Followed<MtlsCredentials> | undefined;
  /** Trusted roots replacing the defaults; never together with `dispatcher` (resolveConfig refuses it). */
  ca?: CaSource | undefined;
  /** Send through this dispatcher instead (never closed by `close()`). */
  dispatcher?: Dispatcher | undefined;
  /** The HTTP(S) proxy; absent, `HTTPS_PROXY` / `NO_PROXY` decide (never with `dispatcher`). */
  proxy?: ProxyOption | undefined;
  /** Per-attempt timeout (ms), enforced by the pool as its headers and body timeouts. */
  timeoutMs: number;
  /** Keep-alive connections per origin; default that of `@mcapi/transport-mtls`. */
  connections?: number;
  /**
   * Some calls of this API wait longer than `timeoutMs` (Cross-Border RFI: 40 s). When
   * `timeoutMs` is shorter, the pool allows this long and every call gets a timer of its own.
   */
  minTimeoutMs?: number;
}

/** A transport and whether it enforces the client-wide timeout itself. */
export interface ApiTransport {
  transport: MtlsTransport;
  /**
   * True when the pool enforces `timeoutMs` (its headers and body timeouts), so a call without a
   * timeout of its own needs no timer; false with a caller's dispatcher, which has its own.
   */
  enforcesTimeout: boolean;
}

/**
 * Every connection the client opens goes through `@mcapi/transport-mtls`: one pooled undici
 * Agent per transport, built once here, with the same error codes and timing whether or not a
 * client certificate is presented. A caller-supplied dispatcher replaces the pool.
 *
 * @example
 * ```ts
 * const { transport, enforcesTimeout } = createApiTransport({ credentials, ca, timeoutMs: 60_000 });
 * ```
 */
export function createApiTransport(options: ApiTransportOptions): ApiTransport {
  const given = options.credentials;
  if (typeof given === 'function') {
    const presented = given();
    const { transport, enforcesTimeout } = createApiTransport({ ...options, credentials: presented });
    return { transport: followingTransport(transport, given, presented), enforcesTimeout };
  }
  const credentials = given;
  if (options.dispatcher !== undefined) {
    // transport-mtls refuses credentials and ca with a dispatcher too; resolveConfig reports it first.
    return {
      transport: createMtlsTransport({
        dispatcher: options.dispatcher,
        ...(credentials === undefined ? {} : { credentials }),
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      }),
      enforcesTimeout: false,
    };
  }
  const raised = options.minTimeoutMs !== undefined && options.timeoutMs > 0 && options.timeoutMs < options.minTimeoutMs;
  const poolTimeoutMs = raised ? (options.minTimeoutMs as number) : options.timeoutMs;
  return {
    transport: createMtlsTransport({
      ...(credentials === undefined ? {} : { credentials }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.connections === undefined ? {} : { connections: options.connections }),
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      headersTimeout: poolTimeoutMs,
      bodyTimeout: poolTimeoutMs,
    }),
    enforcesTimeout: !raised,
  };
}
