import { type CaSource, createMtlsTransport, type MtlsCredentials, type MtlsTransport } from '@mcapi/transport-mtls';
import type { Dispatcher } from 'undici';

/** Options of {@link createApiTransport}. */
export interface ApiTransportOptions {
  /** Client certificate (Benefit Allocation); none for header-authenticated APIs. */
  credentials?: MtlsCredentials | undefined;
  /** Trusted roots replacing the defaults; not used with `dispatcher`. */
  ca?: CaSource | undefined;
  /** Send through this dispatcher instead (never closed by `close()`). */
  dispatcher?: Dispatcher | undefined;
  /** Per-attempt timeout (ms), enforced by the pool as its headers and body timeouts. */
  timeoutMs: number;
  /** Keep-alive connections per origin; default that of `@mcapi/transport-mtls`. */
  connections?: number;
}

/**
 * Every connection the client opens goes through `@mcapi/transport-mtls`: one pooled undici
 * Agent per transport, built once here, with the same error codes and timing whether or not a
 * client certificate is presented. A caller-supplied dispatcher replaces the pool, so the pool
 * options are not passed with it (transport-mtls refuses them).
 */
export function createApiTransport(options: ApiTransportOptions): MtlsTransport {
  if (options.dispatcher !== undefined) return createMtlsTransport({ dispatcher: options.dispatcher });
  return createMtlsTransport({
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}
