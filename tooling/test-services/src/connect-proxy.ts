import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** A real forward proxy on 127.0.0.1 that speaks CONNECT, and what it saw. */
export interface TestProxy {
  /** `http://127.0.0.1:port` (or `https:` when started with TLS). */
  url: string;
  /** `host:port` of every CONNECT, accepted or not. */
  tunnels: string[];
  /** Bytes relayed client → origin through accepted tunnels. */
  bytesRelayed(): number;
  /** Proxy-Authorization header of every CONNECT (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** Demand `Proxy-Authorization: Basic base64(user:pass)`; anything else gets 407. */
  credentials?: { username: string; password: string };
  /** Serve the proxy itself over TLS with this identity. */
  tls?: { cert: string; key: string };
}

/**
 * A real CONNECT proxy on node:http, written for the tests (a Debian proxy package would need an apt install): it only
 * tunnels, which is all an HTTPS client asks of a proxy, and it counts what passed through it.
 */
export async function startConnectProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const server: Server = options.tls === undefined ? createHttpServer() : createHttpsServer({ cert: options.tls.cert, key: options.tls.key });
  const state = { tunnels: [] as string[], authorizations: [] as (string | undefined)[], relayed: 0 };
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  server.on('request', (_request, response) => response.writeHead(405).end());
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    state.tunnels.push(target);
    const authorization = request.headers['proxy-authorization'];
    state.authorizations.push(authorization);
    if (options.credentials !== undefined) {
      const expected = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
      if (authorization !== expected) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        return;
      }
    }
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    // Loopback only: this proxy must never become a way out of the machine.
    if (match === null || !['127.0.0.1', 'localhost', '::1'].includes(match[1] as string)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(match[2]), match[1] as string, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.on('data', (chunk: Buffer) => {
        state.relayed += chunk.length;
      });
      client.pipe(upstream);
      upstream.pipe(client);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    tunnels: state.tunnels,
    authorizations: state.authorizations,
    bytesRelayed: () => state.relayed,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
