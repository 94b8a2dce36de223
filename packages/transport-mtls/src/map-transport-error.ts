import { McapiError, redactText } from '@mcapi/errors';
import { failedDuringHandshake, type RequestTrace } from './connection-tracker.js';

/** What the error mapper needs to know about the failed request. */
export interface ErrorContext {
  origin: string;
  trace: RequestTrace;
  signal: AbortSignal | undefined;
  /** Describes the client certificate in use (subject and public-key fingerprint), if any. */
  clientCertificate: string | undefined;
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  maxResponseSize: number;
}

// OpenSSL verification results for a server certificate Node could not chain to a trusted root.
const untrustedServerCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
]);

// TLS alerts a server sends when it refuses the client certificate (or got none): RFC 8446 §6.2
// certificate_required (TLS 1.3), bad/unsupported/expired/unknown certificate, unknown_ca,
// access_denied, and the generic handshake_failure older servers send instead.
const rejectedAlert =
  /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(?:CERTIFICATE_\w+|BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|UNKNOWN_CA|ACCESS_DENIED|HANDSHAKE_FAILURE)$/;

// How a peer that silently drops the connection shows up: a reset, a write to a closed socket,
// or undici's "other side closed" when the server ends the stream before any response.
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_STREAM_CANCEL']);

/** Turns whatever undici or Node's TLS layer threw into an `McapiError` with a stable code. */
export function mapTransportError(error: unknown, context: ErrorContext): McapiError {
  if (error instanceof McapiError) return error;
  const code = errorCode(error);
  const detail = describe(error);
  const { origin } = context;

  if (context.signal?.aborted || code === 'UND_ERR_ABORTED' || (error as Error | undefined)?.name === 'AbortError') {
    return new McapiError('ERR_ABORTED', `The request to ${origin} was aborted by its signal.`, { cause: error });
  }
  switch (code) {
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return new McapiError('ERR_INVALID_OPTION', `The request to ${origin} was refused before sending: ${detail}.`, { cause: error });
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new McapiError(
        'ERR_CONNECT_TIMEOUT',
        `Could not connect to ${origin} within ${context.connectTimeout} ms (connectTimeout). Check the host, the network path and any firewall or proxy.`,
        { cause: error },
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new McapiError(
        'ERR_HEADERS_TIMEOUT',
        `${origin} sent no response headers within ${context.headersTimeout} ms (headersTimeout). The request may still have been processed: retry only if it is idempotent.`,
        { cause: error },
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new McapiError(
        'ERR_BODY_TIMEOUT',
        `${origin} stopped sending the response body for ${context.bodyTimeout} ms (bodyTimeout). Raise bodyTimeout if this API streams slowly; the request was processed, so retry only if it is idempotent.`,
        { cause: error },
      );
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return tooLarge(origin, context.maxResponseSize, error);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new McapiError(
        'ERR_TLS_HOSTNAME_MISMATCH',
        `The server certificate of ${origin} is not valid for that host name (${detail}). Use the host name the certificate was issued for; when connecting by IP address, set servername.`,
        { cause: error },
      );
  }
  if (code !== undefined && untrustedServerCodes.has(code)) {
    return new McapiError(
      'ERR_TLS_SERVER_UNTRUSTED',
      `The server certificate of ${origin} is not trusted (${code}: ${detail}). If the server uses a private CA, pass that CA in the ca option (it replaces the default roots). Verification cannot be turned off.`,
      { cause: error },
    );
  }
  if (code !== undefined && rejectedAlert.test(code)) {
    return handshakeRejected(context, `with a TLS alert (${code})`, error);
  }
  if (code !== undefined && resetCodes.has(code) && closedBeforeAnyResponse(error, context.trace)) {
    return handshakeRejected(context, `before answering (${code}: ${detail})`, error);
  }
  if (code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') {
    return new McapiError(
      'ERR_CONNECTION',
      `${origin} accepts no protocol we offered through ALPN; if it speaks only HTTP/2, set allowH2: true.`,
      { cause: error },
    );
  }
  return new McapiError(
    'ERR_CONNECTION',
    `The request to ${origin} failed: ${code === undefined ? '' : `${code}: `}${detail}. Check the host and the network path; retry only if the request is idempotent (it may have reached the server).`,
    { cause: error },
  );
}

/** `ERR_RESPONSE_TOO_LARGE`, also raised by the body reader. */
export function tooLarge(origin: string, maxResponseSize: number, cause?: unknown): McapiError {
  return new McapiError(
    'ERR_RESPONSE_TOO_LARGE',
    `The response from ${origin} is larger than ${maxResponseSize} bytes (maxResponseSize). If responses this large are expected, raise maxResponseSize.`,
    cause === undefined ? {} : { cause },
  );
}

// A server that demands a client certificate and does not like ours (or got none) often just
// closes the connection. We can only tell that apart from an ordinary dropped connection by
// when it happens: during the handshake, or on a fresh connection before any response arrived.
// A pooled connection that already carried responses and then resets is an ordinary failure.
// undici's "other side closed" also reports the plaintext bytes read on its socket: none means
// the server never said a word of HTTP on that connection.
function closedBeforeAnyResponse(error: unknown, trace: RequestTrace): boolean {
  if (failedDuringHandshake(error)) return true;
  if ((error as { socket?: { bytesRead?: unknown } }).socket?.bytesRead === 0) return true;
  const connection = trace.connection;
  return connection !== undefined && trace.firstOnConnection && connection.responses === 0;
}

function handshakeRejected(context: ErrorContext, how: string, cause: unknown): McapiError {
  const certificate =
    context.clientCertificate === undefined
      ? 'No client certificate is configured: pass credentials.'
      : `Check that the client certificate ${context.clientCertificate} is the one uploaded for this project on Mastercard Developers (dashboard > project > mTLS/client certificate) for this environment (sandbox or production), that it has not expired or been revoked, and that its full chain is sent.`;
  return new McapiError(
    'ERR_MTLS_HANDSHAKE_REJECTED',
    `${context.origin} closed the TLS connection ${how}: it rejected the client certificate or required one. ${certificate}`,
    { cause },
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactText(message).replace(/\s+/g, ' ').trim() || 'no details';
}
