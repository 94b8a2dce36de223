import type { IncomingMessage } from 'node:http';

/** Why a dashboard request is refused before any endpoint sees it. */
export interface LoopbackRefusal {
  status: 403 | 415;
  message: string;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The dashboard hands out certificates, registers keys and shows OAuth client secrets, over plain
 * HTTP on 127.0.0.1. A web page the developer visits must not drive it (issue 12 item 11):
 * - `Host` must name a loopback address with this port, which defeats DNS rebinding (a page on
 *   `evil.example` re-pointed at 127.0.0.1 still sends `Host: evil.example`);
 * - `Origin`, when a browser sends one, must be this dashboard's own origin;
 * - POST/PUT/PATCH must declare `Content-Type: application/json`: an HTML form or a no-cors fetch
 *   can only send form types or `text/plain`, and a cross-origin JSON request needs a CORS
 *   preflight the dashboard never grants. DELETE cannot be sent cross-origin without one.
 */
export function refuseNonLoopback(request: IncomingMessage, port: number): LoopbackRefusal | undefined {
  const hosts = new Set(LOOPBACK_HOSTS.flatMap((host) => [`${host}:${port}`, ...(port === 80 ? [host] : [])]));
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) {
    return { status: 403, message: `The dashboard answers only requests addressed to 127.0.0.1:${port}, localhost:${port} or [::1]:${port} (Host header).` };
  }
  // `Origin: null` (sandboxed frames, file: pages) is foreign too.
  const origin = request.headers.origin;
  const originHost = origin === undefined ? undefined : /^http:\/\/(.+)$/.exec(origin.toLowerCase())?.[1];
  if (origin !== undefined && (originHost === undefined || !hosts.has(originHost))) {
    return { status: 403, message: 'Cross-origin requests to the dashboard are refused: call it from a script or curl on this machine, not from a web page.' };
  }
  const method = request.method ?? 'GET';
  if (STATE_CHANGING.has(method) && !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return { status: 415, message: `${method} requests to the dashboard must send Content-Type: application/json.` };
  }
  return undefined;
}
