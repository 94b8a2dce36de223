import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { McapiError } from '@mcapi/errors';
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import type { Transport } from '../pipeline/types.js';

/** A trusted root: PEM text or bytes, a parsed certificate, or a file. */
export type CaInput = string | Uint8Array | X509Certificate | { path: string };

function toPem(ca: CaInput): string | Buffer {
  if (typeof ca === 'string') return ca;
  if (ca instanceof X509Certificate) return ca.toString();
  if (ca instanceof Uint8Array) return Buffer.from(ca);
  return readFileSync(ca.path);
}

/** Options of {@link createHttpsTransport}. */
export interface HttpsTransportOptions {
  /** Trust roots replacing the defaults (e.g. the sandbox CA). Server verification stays on. */
  ca?: CaInput | readonly CaInput[];
  /** Use this undici dispatcher instead of creating one (it is not closed by `close()`). */
  dispatcher?: Dispatcher;
  /** Keep-alive connections per origin; default 16. */
  connections?: number;
  /** Wait for response headers, and between body chunks, at most this long (ms); default 30 000. */
  timeout?: number;
}

/**
 * A keep-alive HTTPS transport on the npm `undici` package, for APIs authenticated by headers
 * (Cross-Border OAuth 1.0a) where no client certificate is needed. BAS uses
 * `@mcapi/transport-mtls` instead.
 *
 * @example
 * ```ts
 * const transport = createHttpsTransport({ ca: sandbox.caCertificatePem });
 * ```
 */
export function createHttpsTransport(options: HttpsTransportOptions = {}): Transport {
  const owned =
    options.dispatcher === undefined
      ? new Agent({
          connections: options.connections ?? 16,
          headersTimeout: options.timeout ?? 30_000,
          bodyTimeout: options.timeout ?? 30_000,
          ...(options.ca === undefined
            ? {}
            : { connect: { ca: (Array.isArray(options.ca) ? options.ca : [options.ca as CaInput]).map(toPem) } }),
        })
      : undefined;
  const dispatcher = options.dispatcher ?? owned!;
  return {
    dispatcher,
    async request({ method, url, headers, body, signal }) {
      try {
        const response = await undiciRequest(url, {
          method: method as Dispatcher.HttpMethod,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(signal === undefined ? {} : { signal }),
          dispatcher,
        });
        const bytes = new Uint8Array(await response.body.arrayBuffer());
        return { status: response.statusCode, headers: response.headers, body: bytes };
      } catch (error) {
        throw mapConnectionError(error);
      }
    },
    async close() {
      await owned?.close();
    },
  };
}

function mapConnectionError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (code === 'UND_ERR_ABORTED' || (error as Error).name === 'AbortError') {
    return new McapiError('ERR_ABORTED', 'The request was aborted by its signal.', { cause: error });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new McapiError(
      code === 'UND_ERR_HEADERS_TIMEOUT' ? 'ERR_HEADERS_TIMEOUT' : 'ERR_BODY_TIMEOUT',
      'No complete answer within the "timeout"; raise it or check the service. The request may have been processed.',
      { cause: error },
    );
  }
  if (code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return new McapiError('ERR_TLS_SERVER_UNTRUSTED', 'The server certificate is not trusted; pass the right "ca".', { cause: error });
  }
  // Keep the original code reachable through `cause` so the retry policy can classify it.
  return new McapiError('ERR_CONNECTION', `Connection to the API failed (${code}).`, { cause: error });
}
