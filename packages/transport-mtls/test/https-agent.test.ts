// createHttpsAgent: the node:https side of the transport (axios and other https.Agent clients),
// against a real TLS server that demands a client certificate and a real CONNECT proxy.
import { request as httpsRequest, type Agent } from 'node:https';
import { isMcapiError } from '@mcapi/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpsAgent } from '../src/index.js';
import { startConnectProxy, type TestProxy } from '@mcapi/test-services';
import { useServerAndTransport } from './support/server-and-transport.js';
import { startServer } from './support/tls-server.js';

const fixture = useServerAndTransport();
const agents: Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function proxy(options?: Parameters<typeof startConnectProxy>[0]): Promise<TestProxy> {
  const started = await startConnectProxy(options);
  fixture.onCleanup(() => started.close());
  return started;
}

describe('createHttpsAgent', () => {
  it('presents the client certificate and verifies the server against ca', async () => {
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const agent = createHttpsAgent({ credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key }, ca: fixture.pki.ca.cert, proxy: false });
    agents.push(agent);
    const first = await get(agent, `${server.url}/one`);
    const second = await get(agent, `${server.url}/two`);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).client).toBe(server.clientNames[0]);
    expect(second.status).toBe(200);
    // keep-alive: both requests on one connection
    expect(server.handshakes).toBe(1);
  });

  it('without the server root, the server is not trusted (verification is never off)', async () => {
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const agent = createHttpsAgent({ credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key }, proxy: false });
    agents.push(agent);
    await expect(get(agent, `${server.url}/x`)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
    expect(() => createHttpsAgent({ rejectUnauthorized: false } as never)).toThrow(/verification cannot be changed/);
  });

  it('tunnels through a CONNECT proxy with the client certificate end to end, credentials sent only to the proxy', async () => {
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const via = await proxy({ credentials: { username: 'svc', password: 'proxy-secret-1' } });
    const agent = createHttpsAgent({
      credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key },
      ca: fixture.pki.ca.cert,
      proxy: { url: via.url, username: 'svc', password: 'proxy-secret-1' },
    });
    agents.push(agent);
    const response = await get(agent, `${server.url}/through`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).client).toBe(server.clientNames[0]);
    expect(via.tunnels).toEqual([new URL(server.url).host]);
    expect(via.bytesRelayed()).toBeGreaterThan(0);
    expect(via.authorizations[0]).toBe(`Basic ${Buffer.from('svc:proxy-secret-1').toString('base64')}`);
  });

  it('a refused CONNECT is ERR_PROXY without the proxy password', async () => {
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const via = await proxy({ credentials: { username: 'svc', password: 'right' } });
    const agent = createHttpsAgent({ ca: fixture.pki.ca.cert, proxy: { url: via.url, username: 'svc', password: 'wrong-proxy-pass' } });
    agents.push(agent);
    const error = await get(agent, `${server.url}/x`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isMcapiError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('ERR_PROXY');
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong-proxy-pass');
  });

  it('NO_PROXY hosts go direct', async () => {
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const via = await proxy();
    const agent = createHttpsAgent({ credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key }, ca: fixture.pki.ca.cert, proxy: { url: via.url, noProxy: '127.0.0.1' } });
    agents.push(agent);
    expect((await get(agent, `${server.url}/direct`)).status).toBe(200);
    expect(via.tunnels).toEqual([]);
  });
});

describe('createHttpsAgent keeps the private key out of sight', () => {
  it('util.inspect of the agent, after a request, shows no private key', async () => {
    const { inspect } = await import('node:util');
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const agent = createHttpsAgent({ credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key }, ca: fixture.pki.ca.cert, proxy: false });
    agents.push(agent);
    expect((await get(agent, `${server.url}/x`)).status).toBe(200);
    const shown = inspect(agent, { depth: 12, showHidden: false });
    expect(shown).not.toContain('PRIVATE KEY');
    expect(JSON.stringify((agent as unknown as { options: unknown }).options)).not.toContain('PRIVATE KEY');
  });
});
