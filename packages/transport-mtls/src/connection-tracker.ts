import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { loadUndici } from './load-undici.js';

// Per-request timing and error attribution both need to know which connection a request went
// out on, and whether that connection was new. undici does not tell a handler its socket, so:
// our connector records every socket it opens, and undici's `undici:client:sendHeaders`
// diagnostics message (published synchronously right after the handler's onRequestStart, in the
// same call) names the socket the request is being written to.

/** What is known about one connection the transport opened. */
export interface ConnectionState {
  startedAt: number;
  /** TCP connected. */
  connectedAt?: number;
  /** TLS handshake finished. */
  secureAt?: number;
  /** ALPN result: `h2` or `http/1.1`. */
  protocol?: string;
  /** Requests written to it. */
  requests: number;
  /** Responses whose headers arrived on it. */
  responses: number;
}

/** The life of one request, as far as the transport can see it. */
export interface RequestTrace {
  readonly start: number;
  connection?: ConnectionState;
  /** This request was the first written to its connection. */
  firstOnConnection: boolean;
  firstByteAt?: number;
}

const connections = new WeakMap<object, ConnectionState>();
// Sockets that are proxy tunnels, with when the tunnel was started: TCP to the proxy and CONNECT
// count as the connection's connect time, and TLS then starts on an already-connected socket.
const tunnelStarts = new WeakMap<object, number>();

/** Records that `socket` is a tunnel through a proxy, opened since `startedAt`. */
export function noteTunnel(socket: object, startedAt: number): void {
  tunnelStarts.set(socket, startedAt);
}
// Errors a socket raised after TCP connected but before the TLS handshake finished.
const duringHandshake = new WeakSet<object>();
let pending: RequestTrace | undefined;
let users = 0;

const sendHeadersChannel = 'undici:client:sendHeaders';

function onSendHeaders(message: unknown): void {
  const trace = pending;
  if (trace === undefined) return;
  pending = undefined;
  const socket = (message as { socket?: object }).socket;
  const state = socket === undefined ? undefined : connections.get(socket);
  if (state === undefined) return;
  state.requests += 1;
  trace.connection = state;
  trace.firstOnConnection = state.requests === 1;
}

/**
 * Called from the handler's onRequestStart: the next sendHeaders message belongs to `trace`.
 * Cleared on the next microtask in case undici bails out between the two (aborted request).
 */
export function expectSendHeaders(trace: RequestTrace): void {
  pending = trace;
  queueMicrotask(() => {
    if (pending === trace) pending = undefined;
  });
}

/** Subscribes to undici's channel while at least one transport is open; returns the release. */
export function retainConnectionTracking(): () => void {
  if (users === 0) subscribe(sendHeadersChannel, onSendHeaders);
  users += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users === 0) unsubscribe(sendHeadersChannel, onSendHeaders);
  };
}

/** True when `error` ended a connection during its TLS handshake. */
export function failedDuringHandshake(error: unknown): boolean {
  return typeof error === 'object' && error !== null && duringHandshake.has(error);
}

/** undici's own connector (TLS options, session cache, connect timeout) with bookkeeping added. */
export function createTrackedConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = loadUndici().buildConnector(options);
  return (target, callback) => {
    const state: ConnectionState = { startedAt: performance.now(), requests: 0, responses: 0 };
    const tunnelStart = target.httpSocket === undefined ? undefined : tunnelStarts.get(target.httpSocket);
    if (tunnelStart !== undefined) {
      state.connectedAt = state.startedAt;
      state.startedAt = tunnelStart;
    }
    // buildConnector returns the socket it creates although its type says void.
    const socket = (connect as unknown as (...args: Parameters<buildConnector.connector>) => TLSSocket | undefined)(
      target,
      (error, connected) => {
        if (error) {
          if (state.connectedAt !== undefined && state.secureAt === undefined) duringHandshake.add(error);
          callback(error, null);
          return;
        }
        state.secureAt = performance.now();
        state.protocol = (connected as TLSSocket).alpnProtocol || 'http/1.1';
        connections.set(connected, state);
        callback(null, connected);
      },
    );
    socket?.once('connect', () => {
      state.connectedAt = performance.now();
    });
  };
}
