import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenerOrigin } from '../http/request-target.js';

/** Writes a JSON answer; token responses must not be cached (RFC 6749 §5.1). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(payload.length),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(payload);
}

/** An OAuth 2.0 error answer (RFC 6749 §5.2); the description never holds credentials. */
export function sendOAuthError(
  response: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { error, error_description: description }, headers);
}

/** The URL a request was received on (`htu` is compared with this): the listener's origin, not the Host header. */
export function requestUrl(request: IncomingMessage): string {
  return `${listenerOrigin(request)}${request.url ?? '/'}`;
}
