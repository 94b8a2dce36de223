// A TLS front on 127.0.0.1 that forwards to the sandbox after rewriting what intermediaries
// really rewrite: the query's percent-encoding, the JSON body (parsed and re-serialised), or the
// Date header (a server whose clock is off). The CLI trusts it through --ca, like any server.
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateRsaKeyPair, createCertificateAuthority, issueCertificate } from '@mcapi/keytool';

export interface RewritingProxy {
  url: string;
  caPem: string;
  close(): Promise<void>;
}

export interface Rewrites {
  /** Rewrites the request path + query before forwarding. */
  path?: (path: string) => string;
  /** Rewrites the request body before forwarding. */
  body?: (body: string) => string;
  /** Shift of the Date header sent back, in seconds. */
  dateShiftSeconds?: number;
}

export async function startRewritingProxy(target: string, targetCa: string, rewrites: Rewrites): Promise<RewritingProxy> {
  const ca = await createCertificateAuthority({ commonName: 'mcapi cli test proxy CA' });
  const { privateKey, publicKey } = await generateRsaKeyPair();
  const certificate = issueCertificate({ issuer: ca, publicKey, subject: { CN: '127.0.0.1' }, usage: 'server', ipAddresses: ['127.0.0.1'] });
  const upstream = new URL(target);
  const server: Server = createServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: certificate.toString() }, (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      if (body !== '' && rewrites.body) body = rewrites.body(body);
      const headers = { ...incoming.headers, 'content-length': String(Buffer.byteLength(body)) };
      const forward = httpsRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: rewrites.path ? rewrites.path(incoming.url ?? '/') : incoming.url, headers, ca: targetCa },
        (answer) => {
          const responseHeaders = { ...answer.headers };
          if (rewrites.dateShiftSeconds !== undefined) responseHeaders.date = new Date(Date.now() + rewrites.dateShiftSeconds * 1000).toUTCString();
          outgoing.writeHead(answer.statusCode ?? 502, responseHeaders);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: ca.certificate.toString(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
