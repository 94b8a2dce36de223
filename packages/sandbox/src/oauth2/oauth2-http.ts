import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** The URL a request was sent to, as the client wrote it (`htu` is compared with this). */
export function requestUrl(request: IncomingMessage): string {
  return `https://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`;
}
