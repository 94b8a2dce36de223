import type { IncomingMessage } from 'node:http';

// A fixed base: the Host header is the client's to choose, so it never takes part in parsing.
const BASE = 'http://127.0.0.1';

/**
 * The request target as a URL, or undefined when it is not one. Node's HTTP parser lets targets
 * such as `http://[` through, and `new URL()` throws on them: every listener parses through here
 * so a malformed target is answered 400 instead of escaping as an exception.
 */
export function parseRequestTarget(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', BASE);
  } catch {
    return undefined;
  }
}

/**
 * The origin of the HTTPS listener that received `request` (`https://127.0.0.1:<port>`), from the
 * socket, never from the `Host` header: signatures (OAuth 1.0a) and DPoP `htu`s are checked
 * against the URL the sandbox serves, so a request signed for another host cannot be replayed here.
 */
export function listenerOrigin(request: IncomingMessage): string {
  return `https://127.0.0.1:${request.socket.localPort}`;
}
