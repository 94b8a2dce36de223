import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** Where and how to open a raw connection to one sandbox listener. */
export interface RawTarget {
  port: number;
  /** TLS options (CA, client certificate); absent for the plain dashboard listener. */
  tls?: { ca: string; cert?: string; key?: string };
}

/** What came back on a raw connection: the status of the first response (0 if none) and all text. */
export interface RawAnswer {
  status: number;
  text: string;
  /** The JSON body of the first response; undefined when there is none. */
  json(): unknown;
}

/**
 * Writes `bytes` as they are (no client library fixes them up) and reads until the server closes
 * the connection or `timeoutMs` passes: the way to send request lines and headers that
 * `fetch`/undici refuse to build.
 */
export function rawRequest(target: RawTarget, bytes: string, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({ host: '127.0.0.1', port: target.port, servername: 'localhost', ...target.tls })
      : netConnect({ host: '127.0.0.1', port: target.port });
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({
        status,
        text,
        json: () => {
          const start = text.indexOf('\r\n\r\n');
          const body = text.slice(start + 4);
          // Chunked bodies: take the JSON-looking span; undefined when there is none.
          try {
            return JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1));
          } catch {
            return undefined;
          }
        },
      });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, timeoutMs);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      socket.destroy();
    });
    socket.on('close', done);
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length > 0) done();
      else reject(error);
    });
  });
}
