import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McapiError } from '@mcapi/errors';

/** A listener's `request` handler. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const STARTING = 'mcapi-sandbox is starting; retry shortly.\n';

// Between binding and serving (while the other listeners bind, and the parts that need the final
// URLs are built) a request gets a clear 503, never a connection left hanging.
function starting(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1', 'content-length': Buffer.byteLength(STARTING) });
  response.end(STARTING);
}

/**
 * Binds every server (in order) on 127.0.0.1 or none: a port that is taken closes the ones
 * already bound. Bound servers answer 503 until {@link serve} gives them their handler, so the
 * handlers can be built with the ports the servers really got.
 *
 * @throws {McapiError} `ERR_SANDBOX` naming the port when a server cannot bind (the `listen` error, e.g.
 *   `EADDRINUSE`, is the cause).
 *
 * @example
 * ```ts
 * const [port] = await listenAll([server], [0]);
 * serve(server, createHandler(`https://127.0.0.1:${port}`));
 * ```
 */
export async function listenAll(servers: readonly Server[], ports: readonly number[]): Promise<number[]> {
  const bound: Server[] = [];
  const chosen: number[] = [];
  try {
    for (const [index, server] of servers.entries()) {
      server.on('request', starting);
      chosen.push(await listen(server, ports[index] ?? 0));
      bound.push(server);
    }
  } catch (error) {
    await Promise.all(bound.map(stop));
    throw error;
  }
  return chosen;
}

/** Hands a bound server its request handler (it stops answering "starting"). */
export function serve(server: Server, handler: RequestListener): void {
  server.off('request', starting);
  server.on('request', handler);
}

/** Stops accepting connections and drops the open ones. */
export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// 127.0.0.1 only: the sandbox holds test keys and must never be reachable from the network.
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (cause: NodeJS.ErrnoException) => {
      const why = cause.code === 'EADDRINUSE' ? 'is in use; stop what holds it or choose another port' : `cannot be bound (${cause.code ?? cause.message})`;
      reject(new McapiError('ERR_SANDBOX', `Port ${port} on 127.0.0.1 ${why}.`, { cause }));
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
