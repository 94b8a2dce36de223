import { once } from 'node:events';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './pki.js';

/** A real TLS server on 127.0.0.1 that demands a client certificate, and what it saw. */
export interface TestServer {
  url: string;
  /** TLS handshakes completed (`secureConnection` events). */
  handshakes: number;
  /** Subject CN of the client certificate on each new connection, in order. */
  clientNames: string[];
  /** Client certificate CN of each connection still open. */
  openConnections(): string[];
  close(): Promise<void>;
}

// Typed as HTTP/1.1; the HTTP/2 compatibility API offers the same calls the tests use.
type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface StartServerOptions {
  /** Certificate and key the server presents. Default: pki.server. */
  identity?: { cert: string; key: string };
  /** HTTP/2 only (allowHTTP1 false). */
  h2?: boolean;
  /** Default: answers 200 with the client certificate's CN as JSON. */
  handler?: Handler;
  /** Extra TLS server options (e.g. maxVersion, rejectUnauthorized). */
  tls?: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; rejectUnauthorized?: boolean };
  /** Runs for every completed handshake, after it is counted. */
  onSecureConnection?: (socket: TLSSocket) => void;
}

const echoClient: Handler = (request, response) => {
  const peer = (request.socket as TLSSocket).getPeerCertificate();
  const body = JSON.stringify({ client: peer?.subject?.CN ?? null, method: request.method, path: request.url });
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(body);
};

/** Starts the server; `requestCert` and `rejectUnauthorized` are on: only pki.ca's clients get in. */
export async function startServer(pki: TestPki, options: StartServerOptions = {}): Promise<TestServer> {
  const identity = options.identity ?? pki.server;
  const tlsOptions = { cert: identity.cert, key: identity.key, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: true, ...options.tls };
  const handler = options.handler ?? echoClient;
  const server = options.h2
    ? createSecureServer({ ...tlsOptions, allowHTTP1: false }, handler as unknown as (request: Http2ServerRequest, response: Http2ServerResponse) => void)
    : createServer({ ...tlsOptions, keepAliveTimeout: 30_000 }, handler);
  const state = { handshakes: 0, clientNames: [] as string[] };
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    state.handshakes += 1;
    state.clientNames.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    options.onSecureConnection?.(socket);
  });
  // Rejected handshakes surface here; they are what several tests provoke on purpose.
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    get handshakes() {
      return state.handshakes;
    },
    clientNames: state.clientNames,
    openConnections: () => [...sockets].map((socket) => String(socket.getPeerCertificate()?.subject?.CN ?? '')),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
