import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtlsTransport, type MtlsTransport } from '../src/index.js';
import { createTestPki, type Identity, issue, issueExpired, type TestPki } from './support/pki.js';
import { startServer, type TestServer } from './support/tls-server.js';

let pki: TestPki;
let strangerClient: Identity;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  strangerClient = await issue(pki.otherCa, { cn: 'stranger', usage: 'client' });
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function server(options: Parameters<typeof startServer>[1] = {}): Promise<TestServer> {
  const started = await startServer(pki, options);
  cleanups.push(() => started.close());
  return started;
}

function transport(options: Parameters<typeof createMtlsTransport>[0]): MtlsTransport {
  const created = createMtlsTransport(options);
  cleanups.push(() => created.close());
  return created;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => {
      throw new Error('the request succeeded but should have failed');
    },
    (caught: unknown) => caught,
  );
  return error as { code: string; message: string };
}

describe('the server rejects our client certificate', () => {
  it('no client certificate configured → ERR_MTLS_HANDSHAKE_REJECTED saying so; reload() adds one', async () => {
    const target = await server();
    const client = transport({ ca: pki.ca.cert });
    const error = await failure(client.request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
    expect(error.message).toContain('No client certificate is configured');
    await client.reload({ cert: pki.client.cert, key: pki.client.key });
    expect((await client.request({ method: 'GET', url: target.url })).status).toBe(200);
  });

  it('no client certificate through a caller-supplied dispatcher → the same code', async () => {
    const target = await server();
    const withoutCertificate = new Agent({ connect: { ca: pki.ca.cert } });
    cleanups.push(() => withoutCertificate.close());
    const error = await failure(createMtlsTransport({ dispatcher: withoutCertificate }).request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
  });

  it('a certificate from another CA (TLS 1.3) → ERR_MTLS_HANDSHAKE_REJECTED naming our certificate', async () => {
    const target = await server();
    const error = await failure(
      transport({ credentials: { cert: strangerClient.cert, key: strangerClient.key }, ca: pki.ca.cert }).request({ method: 'GET', url: target.url }),
    );
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
    expect(error.message).toContain('CN=stranger');
    expect(error.message).toMatch(/Mastercard Developers/);
    expect(error.message).not.toMatch(/PRIVATE KEY/);
  });

  it('an expired certificate (sent through a caller-supplied dispatcher, since ours refuses one) → rejected', async () => {
    const target = await server();
    const expired = await issueExpired(pki.ca);
    const agent = new Agent({ connect: { ca: pki.ca.cert, cert: expired.cert, key: expired.key } });
    cleanups.push(() => agent.close());
    const error = await failure(createMtlsTransport({ dispatcher: agent }).request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
  });

  it('a certificate from another CA over TLS 1.2 (rejected inside the handshake)', async () => {
    const target = await server({ tls: { maxVersion: 'TLSv1.2' } });
    const error = await failure(
      transport({ credentials: { cert: strangerClient.cert, key: strangerClient.key }, ca: pki.ca.cert }).request({ method: 'GET', url: target.url }),
    );
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
  });

  it('a server that just drops the connection ("other side closed") on a fresh connection', async () => {
    // Like gateways that check the certificate after the handshake and close without an alert.
    const target = await server({
      tls: { rejectUnauthorized: false },
      onSecureConnection: (socket) => {
        if (!socket.authorized) socket.destroy();
      },
    });
    const error = await failure(
      transport({ credentials: { cert: strangerClient.cert, key: strangerClient.key }, ca: pki.ca.cert }).request({ method: 'GET', url: target.url }),
    );
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
  });

  it('a pooled connection that served responses and then drops is an ordinary ERR_CONNECTION', async () => {
    let served = 0;
    const target = await server({
      handler: (request, response) => {
        served += 1;
        if (served === 1) response.end('ok');
        else request.socket.destroy();
      },
    });
    const client = transport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.ca.cert, connections: 1 });
    expect((await client.request({ method: 'GET', url: target.url })).status).toBe(200);
    const error = await failure(client.request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_CONNECTION');
    expect(error.message).toContain('retry only if the request is idempotent');
  });
});

describe('we do not trust the server', () => {
  it('default roots (no ca) do not trust a private CA → ERR_TLS_SERVER_UNTRUSTED', async () => {
    const target = await server();
    const error = await failure(transport({ credentials: { cert: pki.client.cert, key: pki.client.key } }).request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_TLS_SERVER_UNTRUSTED');
    expect(error.message).toContain('ca option');
  });

  it('ca replaces the roots: a different CA does not trust the server', async () => {
    const target = await server();
    const error = await failure(
      transport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.otherCa.cert }).request({ method: 'GET', url: target.url }),
    );
    expect(error.code).toBe('ERR_TLS_SERVER_UNTRUSTED');
  });

  it('a certificate for another host name → ERR_TLS_HOSTNAME_MISMATCH; servername fixes it', async () => {
    const elsewhere = await issue(pki.ca, { cn: 'api.example.test', usage: 'server', dnsNames: ['api.example.test'] });
    const target = await server({ identity: elsewhere });
    const credentials = { cert: pki.client.cert, key: pki.client.key };
    const error = await failure(transport({ credentials, ca: pki.ca.cert }).request({ method: 'GET', url: target.url }));
    expect(error.code).toBe('ERR_TLS_HOSTNAME_MISMATCH');
    const named = transport({ credentials, ca: pki.ca.cert, servername: 'api.example.test' });
    expect((await named.request({ method: 'GET', url: target.url })).status).toBe(200);
  });

  it('has no way to turn verification off', () => {
    const credentials = { cert: pki.client.cert, key: pki.client.key };
    for (const key of ['rejectUnauthorized', 'connect', 'tls']) {
      expect(() => createMtlsTransport({ credentials, [key]: false } as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('cannot be changed or turned off') }),
      );
    }
  });
});
