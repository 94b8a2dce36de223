import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMtlsTransport } from '../src/index.js';
import { useServerAndTransport } from './support/server-and-transport.js';

const fixture = useServerAndTransport();
const { setup } = fixture;

describe('requests and responses', () => {
  it('sends method, headers and body; returns status, lower-case headers and the body bytes', async () => {
    const { url, transport } = await setup({
      handler: (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          response.writeHead(201, { 'X-Echo-Method': request.method ?? '', 'X-Echo-Header': String(request.headers['x-test'] ?? '') });
          response.end(Buffer.concat(chunks));
        });
      },
    });
    const response = await transport.request({
      method: 'POST',
      url: `${url}/payments?id=1`,
      headers: { 'content-type': 'application/json', 'X-Test': 'hello' },
      body: '{"amount":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers['x-echo-method']).toBe('POST');
    expect(response.headers['x-echo-header']).toBe('hello');
    expect(response.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(response.body).toString()).toBe('{"amount":1}');
    const bytes = await transport.request({ method: 'PUT', url: new URL(`${url}/raw`), body: new Uint8Array([0, 1, 2, 255]) });
    expect([...bytes.body]).toEqual([0, 1, 2, 255]);
  });

  it('returns error statuses as responses (mapping them is the client’s job)', async () => {
    const { url, transport } = await setup({ handler: (_request, response) => response.writeHead(503).end('busy') });
    const response = await transport.request({ method: 'GET', url });
    expect(response.status).toBe(503);
    expect(Buffer.from(response.body).toString()).toBe('busy');
  });

  it('refuses plain http: URLs', async () => {
    const { transport } = await setup({});
    await expect(transport.request({ method: 'GET', url: 'http://127.0.0.1:1/' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('timeouts, limits and aborts are told apart', () => {
  it('a server that accepts TCP but never completes TLS → ERR_CONNECT_TIMEOUT', async () => {
    const silent: Server = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const sockets = new Set<import('node:net').Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    fixture.onCleanup(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const transport = createMtlsTransport({ credentials: { cert: fixture.pki.client.cert, key: fixture.pki.client.key }, ca: fixture.pki.ca.cert, connectTimeout: 200 });
    fixture.onCleanup(() => transport.close());
    const { port } = silent.address() as AddressInfo;
    await expect(transport.request({ method: 'GET', url: `https://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'ERR_CONNECT_TIMEOUT',
      message: expect.stringContaining('connectTimeout'),
    });
  });

  it('no response headers in time → ERR_HEADERS_TIMEOUT', async () => {
    const { url, transport } = await setup({ handler: () => {} }, { headersTimeout: 200 });
    await expect(transport.request({ method: 'GET', url })).rejects.toMatchObject({ code: 'ERR_HEADERS_TIMEOUT' });
  });

  it('a body that stalls → ERR_BODY_TIMEOUT', async () => {
    const { url, transport } = await setup(
      {
        handler: (_request, response) => {
          response.writeHead(200, { 'content-length': '100' });
          response.write('partial');
        },
      },
      { bodyTimeout: 200 },
    );
    await expect(transport.request({ method: 'GET', url })).rejects.toMatchObject({
      code: 'ERR_BODY_TIMEOUT',
      message: expect.stringContaining('Raise bodyTimeout'),
    });
  });

  it('a response over maxResponseSize → ERR_RESPONSE_TOO_LARGE, declared or chunked', async () => {
    const { url, transport } = await setup(
      {
        handler: (request, response) => {
          if (request.url === '/declared') response.writeHead(200, { 'content-length': '4096' }).end('x'.repeat(4096));
          else {
            response.writeHead(200);
            for (let i = 0; i < 8; i++) response.write('y'.repeat(512));
            response.end();
          }
        },
      },
      { maxResponseSize: 1024 },
    );
    for (const path of ['/declared', '/chunked']) {
      await expect(transport.request({ method: 'GET', url: `${url}${path}` })).rejects.toMatchObject({
        code: 'ERR_RESPONSE_TOO_LARGE',
        message: expect.stringContaining('raise maxResponseSize'),
      });
    }
  });

  it('an aborted signal → ERR_ABORTED', async () => {
    const { url, transport } = await setup({ handler: () => {} });
    const controller = new AbortController();
    const pending = transport.request({ method: 'GET', url, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(transport.request({ method: 'GET', url, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('a closed transport refuses new requests', async () => {
    const { url, transport } = await setup({});
    await transport.close();
    await expect(transport.request({ method: 'GET', url })).rejects.toMatchObject({ code: 'ERR_CONNECTION', message: expect.stringContaining('closed; create a new one') });
  });
});
