import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { McapiError } from '@mcapi/errors';
import type { ResolvedProxy } from './resolve-proxy.js';

// A CONNECT answer is a status line and headers; anything past this is not a proxy talking.
const maxResponseHead = 16 * 1024;

/**
 * Opens a tunnel through an HTTP(S) proxy with `CONNECT host:port` (RFC 9110 §9.3.6) and hands
 * back the raw socket, on which the caller then starts TLS with the origin: the client
 * certificate and the origin's certificate check travel end to end, and the proxy sees only
 * ciphertext. Settles exactly once; `timeoutMs` covers reaching the proxy and its answer.
 */
export function openTunnel(proxy: ResolvedProxy, host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = Number(proxy.url.port) || (proxy.url.protocol === 'https:' ? 443 : 80);
    const proxyHost = proxy.url.hostname.replace(/^\[|\]$/g, '');
    const socket: Socket =
      proxy.url.protocol === 'https:'
        ? connectTls({ host: proxyHost, port: proxyPort, servername: isIp(proxyHost) ? undefined : proxyHost, rejectUnauthorized: true, ...(proxy.ca && { ca: proxy.ca }) })
        : connectTcp({ host: proxyHost, port: proxyPort });
    const target = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
    let head = Buffer.alloc(0);
    let settled = false;

    const finish = (error: McapiError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error === undefined) {
        resolve(socket);
      } else {
        socket.destroy();
        reject(error);
      }
    };
    const fail = (message: string, cause?: unknown): void =>
      finish(new McapiError('ERR_PROXY', `${message} (proxy ${proxy.display}, tunnel to ${target}).`, cause === undefined ? {} : { cause: describeCause(cause) }));

    const timer = setTimeout(
      () => fail(`The proxy did not open the tunnel within ${timeoutMs} ms (connectTimeout); check that the proxy is reachable and allows CONNECT to this host`),
      timeoutMs,
    );
    timer.unref();

    const onError = (error: Error): void => {
      const code = (error as { code?: string }).code;
      const tlsHint = proxy.url.protocol === 'https:' && code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO/.test(code) ? ' — the proxy\'s own certificate is not trusted: pass its CA in proxy.ca' : '';
      fail(`Could not reach the proxy: ${code ?? error.message}${tlsHint}`, error);
    };
    const onClose = (): void => fail('The proxy closed the connection before answering CONNECT');
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > maxResponseHead) fail('The proxy sent an oversized answer to CONNECT');
        return;
      }
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
      if (status >= 200 && status < 300) {
        const rest = head.subarray(end + 4);
        finish(undefined);
        // Bytes the proxy relayed early belong to the origin's TLS stream.
        if (rest.length > 0) socket.unshift(rest);
        return;
      }
      if (status === 407) {
        fail(
          proxy.authorization === undefined
            ? 'The proxy requires authentication (407): give credentials in the proxy URL or in proxy.username / proxy.password'
            : 'The proxy refused the credentials (407): check the proxy user name and password',
        );
        return;
      }
      fail(Number.isNaN(status) ? 'The proxy answered CONNECT with something that is not HTTP' : `The proxy refused the tunnel with HTTP ${status}`);
    };

    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    const request = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
    if (proxy.authorization !== undefined) request.push(`Proxy-Authorization: ${proxy.authorization}`);
    socket.write(`${request.join('\r\n')}\r\n\r\n`);
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

// Node's socket errors carry no secrets, but keep only code and message: the cause chain is
// printed by loggers and must not hold the socket (and with it the request headers).
function describeCause(error: unknown): Error {
  const original = error as { code?: string; message?: string };
  const cause = new Error(original.message ?? String(error));
  if (original.code !== undefined) (cause as Error & { code?: string }).code = original.code;
  return cause;
}
