// mTLS transport: requests per second over mutual TLS against one local HTTPS server (in a worker
// thread, so its work does not share the client's event loop), for
//   - @mcapi/transport-mtls (pooled, with timing and error mapping),
//   - a plain undici Agent with the same TLS options and pool size (the floor: target ≥ 0.95×),
//   - a new connection per request (same TLS options, `reset: true`), to show what pooling buys.
// Each operation is a batch of concurrent requests; the batch size is printed with the results.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createCertificateAuthority, generateRsaKeyPair, issueCertificate } from '@mcapi/keytool';
import { createMtlsTransport } from '@mcapi/transport-mtls';
import { Agent, request } from 'undici';
import { type Contender, type Measurement, type Suite, compare, ratioLines, target } from '../harness.js';

const concurrency = 8;
const connections = 8;

// The server: node:https demanding a client certificate from our CA; 200 with a small JSON body.
const serverSource = `
const { createServer } = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');
const body = JSON.stringify({ status: 'APPROVED', id: '0123456789abcdef', amount: { value: 100, currency: 'EUR' } });
const server = createServer({ ...workerData, requestCert: true, rejectUnauthorized: true, keepAliveTimeout: 60000 }, (req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

// Both orders (A B A B …, then B A B A …), merged: whichever contender runs right after the
// other inherits its leftovers (server-side garbage, sockets settling), so a fixed order biases
// a ratio that must be read to within a few percent. More, shorter rounds than the default
// spread load from other processes over both.
async function compareBothOrders(a: Contender, b: Contender): Promise<Measurement[]> {
  const runs = [...(await compare([a, b], 6, 500)), ...(await compare([b, a], 6, 500))];
  return [a.name, b.name].map((name) => {
    const mine = runs.filter((m) => m.name === name);
    const samples = mine.reduce((sum, m) => sum + m.samples, 0);
    const ms = mine.reduce((sum, m) => sum + m.meanMs * m.samples, 0);
    return { name, samples, meanMs: ms / samples, opsPerSecond: (samples * 1000) / ms };
  });
}

async function makePki() {
  const ca = await createCertificateAuthority({ commonName: 'mcapi bench CA' });
  const [serverKeys, clientKeys] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const pem = (key: import('node:crypto').KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const server = issueCertificate({ issuer: ca, publicKey: serverKeys.publicKey, subject: { CN: 'localhost' }, usage: 'server' });
  const client = issueCertificate({ issuer: ca, publicKey: clientKeys.publicKey, subject: { CN: 'bench client' }, usage: 'client' });
  return {
    ca: ca.certificate.toString(),
    server: { cert: server.toString(), key: pem(serverKeys.privateKey) },
    client: { cert: client.toString(), key: pem(clientKeys.privateKey) },
  };
}

export const suite: Suite = {
  name: 'mtls transport (requests/s over mTLS, local server)',
  async run() {
    const pki = await makePki();
    const worker = new Worker(serverSource, { eval: true, workerData: { ...pki.server, ca: pki.ca } });
    const [port] = (await once(worker, 'message')) as [number];
    const url = `https://127.0.0.1:${port}/payments/42`;
    const tls = { ca: pki.ca, cert: pki.client.cert, key: pki.client.key };

    const transport = createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.ca, connections });
    const pooled = new Agent({ connect: tls, connections });
    const unpooled = new Agent({ connect: tls });

    const batch = (one: () => Promise<unknown>) => () => Promise.all(Array.from({ length: concurrency }, one));
    const undiciOnce = (dispatcher: Agent, reset: boolean) => async () => {
      const response = await request(url, { dispatcher, reset });
      const body = new Uint8Array(await response.body.arrayBuffer());
      if (response.statusCode !== 200 || body.byteLength === 0) throw new Error(`unexpected response ${response.statusCode}`);
    };
    const transportOnce = async () => {
      const response = await transport.request({ method: 'GET', url });
      if (response.status !== 200 || response.body.byteLength === 0) throw new Error(`unexpected response ${response.status}`);
    };

    try {
      // The pair the target is about is measured on its own: a connection-per-request run leaves
      // the server busy tearing down TLS sessions, which would slow whichever contender came next.
      const pooledPair = await compareBothOrders(
        { name: 'undici Agent', run: batch(undiciOnce(pooled, false)) },
        { name: '@mcapi/transport-mtls', run: batch(transportOnce) },
      );
      const [unpooledRun] = await compare([{ name: 'new connection per request', run: batch(undiciOnce(unpooled, true)) }], 1, 1500);
      const measurements = [...pooledPair, unpooledRun!];
      const requestsPerSecond = measurements.map(
        (m) => `${m.name}: ${Math.round(m.opsPerSecond * concurrency).toLocaleString('en-US')} requests/s (${concurrency} concurrent)`,
      );
      const overhead = target(measurements, '@mcapi/transport-mtls', 'undici Agent', 0.95);
      const pooling = measurements.find((m) => m.name === 'new connection per request')!;
      const ours = measurements.find((m) => m.name === '@mcapi/transport-mtls')!;
      return {
        measurements,
        lines: [
          ...requestsPerSecond,
          ...ratioLines(measurements, 'undici Agent'),
          overhead.line,
          `pooling buys ${(ours.opsPerSecond / pooling.opsPerSecond).toFixed(1)}× over a new TLS connection per request`,
        ],
        missed: overhead.missed === undefined ? [] : [overhead.missed],
      };
    } finally {
      await Promise.all([transport.close(), pooled.close(), unpooled.close()]);
      worker.postMessage('stop');
      await once(worker, 'exit');
    }
  },
};
