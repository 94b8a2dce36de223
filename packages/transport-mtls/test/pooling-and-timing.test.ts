import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { type RequestTiming, timingChannelName } from '../src/index.js';
import { useServerAndTransport } from './support/server-and-transport.js';
import { startServer } from './support/tls-server.js';

const fixture = useServerAndTransport();
const { setup } = fixture;

describe('keep-alive pooling', () => {
  it('200 sequential requests reuse the pool: at most `connections` TLS handshakes', async () => {
    const { server, transport } = await setup({}, { connections: 2 });
    for (let i = 0; i < 200; i++) {
      const response = await transport.request({ method: 'GET', url: `${server.url}/seq/${i}` });
      expect(response.status).toBe(200);
    }
    expect(server.handshakes).toBeGreaterThanOrEqual(1);
    expect(server.handshakes).toBeLessThanOrEqual(2);
  });

  it('a concurrent burst opens no more than `connections` connections', async () => {
    const { server, transport } = await setup({}, { connections: 4 });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => transport.request({ method: 'GET', url: `${server.url}/burst/${i}` })));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(server.handshakes).toBeGreaterThan(1);
    expect(server.handshakes).toBeLessThanOrEqual(4);
  });
});

describe('HTTP/2', () => {
  it('is off by default: an h2-only server cannot be reached', async () => {
    const { server, transport } = await setup({ h2: true });
    await expect(transport.request({ method: 'GET', url: server.url })).rejects.toMatchObject({ code: 'ERR_CONNECTION', message: expect.stringContaining('allowH2') });
  });

  it('allowH2 talks to an h2-only server over mTLS, multiplexing on one connection', async () => {
    const timings: RequestTiming[] = [];
    const { server, transport } = await setup({ h2: true }, { allowH2: true, connections: 1, onTiming: (timing) => timings.push(timing) });
    const responses = await Promise.all(Array.from({ length: 20 }, () => transport.request({ method: 'GET', url: `${server.url}/h2` })));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.parse(Buffer.from(response.body).toString())).toMatchObject({ client: 'client one' });
    }
    expect(server.handshakes).toBe(1);
    expect(timings.every((timing) => timing.protocol === 'h2')).toBe(true);
  });

  it('maxResponseSize holds over HTTP/2 too', async () => {
    const { server, transport } = await setup(
      { h2: true, handler: (_request, response) => response.end('z'.repeat(5000)) },
      { allowH2: true, maxResponseSize: 1000 },
    );
    await expect(transport.request({ method: 'GET', url: server.url })).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
  });
});

describe('per-request timing', () => {
  it('reports connect and TLS time on the request that opened the connection, not on reused ones', async () => {
    const timings: RequestTiming[] = [];
    const { server, transport } = await setup({}, { connections: 1, onTiming: (timing) => timings.push(timing) });
    await transport.request({ method: 'GET', url: `${server.url}/first?card=5555555555554444` });
    await transport.request({ method: 'POST', url: `${server.url}/second`, body: 'x' });
    const [first, second] = timings;
    expect(first).toMatchObject({ method: 'GET', url: `${server.url}/first`, status: 200, newConnection: true, protocol: 'http/1.1' });
    expect(first?.connectMs).toBeGreaterThanOrEqual(0);
    expect(first?.tlsMs).toBeGreaterThan(0);
    expect(first?.firstByteMs).toBeGreaterThan(first!.tlsMs!);
    expect(first?.totalMs).toBeGreaterThanOrEqual(first!.firstByteMs!);
    expect(second).toMatchObject({ method: 'POST', status: 200, newConnection: false });
    expect(second?.connectMs).toBeUndefined();
    expect(second?.tlsMs).toBeUndefined();
    expect(JSON.stringify(timings)).not.toContain('5555555555554444');
  });

  it('publishes the same timings on the diagnostics channel, failures included', async () => {
    const published: RequestTiming[] = [];
    const listener = (message: unknown) => published.push(message as RequestTiming);
    subscribe(timingChannelName, listener);
    try {
      const { server, transport } = await setup({ handler: (request, response) => response.writeHead(request.url === '/slow' ? 200 : 204).end() }, { headersTimeout: 100 });
      await transport.request({ method: 'DELETE', url: `${server.url}/thing` });
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({ method: 'DELETE', status: 204, newConnection: true });
      const stalled = await startServer(fixture.pki, { handler: () => {} });
      fixture.onCleanup(() => stalled.close());
      await expect(transport.request({ method: 'GET', url: stalled.url })).rejects.toMatchObject({ code: 'ERR_HEADERS_TIMEOUT' });
      expect(published[1]).toMatchObject({ errorCode: 'ERR_HEADERS_TIMEOUT' });
      expect(published[1]?.status).toBeUndefined();
    } finally {
      unsubscribe(timingChannelName, listener);
    }
  });

  it('a throwing onTiming hook does not fail the request; it is reported as a warning', async () => {
    const warnings: string[] = [];
    const { server, transport } = await setup(
      {},
      {
        onTiming: () => {
          throw new Error('metrics down');
        },
        onWarning: (message) => warnings.push(message),
      },
    );
    expect((await transport.request({ method: 'GET', url: server.url })).status).toBe(200);
    expect(warnings).toEqual(['onTiming threw: metrics down']);
  });
});
