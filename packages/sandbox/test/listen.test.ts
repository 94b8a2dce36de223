import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenAll, serve, stop } from '../src/http/listen.js';
import { startSandbox } from '../src/index.js';

// startSandbox binds its listeners before it builds what answers on them (so the OAuth 2.0
// issuer and the dashboard's URLs are final from the start): these pin the binding rules.
describe('listener binding', () => {
  const open: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).filter((server) => server.listening).map(stop));
  });

  it('answers 503 with Retry-After while bound but not yet served, then the handler answers', async () => {
    const server = createServer();
    open.push(server);
    const [port] = await listenAll([server], [0]);
    const before = await fetch(`http://127.0.0.1:${port}/`);
    expect(before.status).toBe(503);
    expect(before.headers.get('retry-after')).toBe('1');
    expect(await before.text()).toMatch(/starting/);

    serve(server, (_request, response) => response.end('ready'));
    const after = await fetch(`http://127.0.0.1:${port}/`);
    expect([after.status, await after.text()]).toEqual([200, 'ready']);
  });

  it('binds all or none: a taken port is ERR_SANDBOX naming it, and the servers already bound are closed', async () => {
    const holder = createServer();
    open.push(holder);
    const [taken] = await listenAll([holder], [0]);
    const first = createServer();
    const second = createServer();
    open.push(first, second);
    const failure = await listenAll([first, second], [0, taken!]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_SANDBOX', message: `Port ${taken} on 127.0.0.1 is in use; stop what holds it or choose another port.` });
    expect((failure as Error).cause).toMatchObject({ code: 'EADDRINUSE' });
    expect(first.listening).toBe(false);
    expect(second.listening).toBe(false);
  });

  it('startSandbox on a taken port rejects with ERR_SANDBOX (the documented code), not a raw listen error', async () => {
    const holder = createServer();
    open.push(holder);
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as AddressInfo).port;
    await expect(startSandbox({ ports: { dashboard: taken } })).rejects.toMatchObject({ code: 'ERR_SANDBOX', message: expect.stringContaining(`Port ${taken}`) });
  });

  it('builds the OAuth 2.0 side with its final origin: issuer, endpoints and metadata agree with urls.oauth2', async () => {
    const sandbox = await startSandbox();
    try {
      const origin = sandbox.urls.oauth2;
      expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(origin).not.toMatch(/:0$/);
      expect(sandbox.oauth2).toMatchObject({ url: origin, issuer: origin, tokenEndpoint: `${origin}/oauth2/token`, authorizationEndpoint: `${origin}/oauth2/authorize` });
      const info = (await (await fetch(`${sandbox.urls.dashboard}/`)).json()) as { urls: unknown };
      expect(info.urls).toEqual(sandbox.urls);
      const oauth2 = (await (await fetch(`${sandbox.urls.dashboard}/oauth2`)).json()) as { issuer: string };
      expect(oauth2.issuer).toBe(origin);
    } finally {
      await sandbox.close();
    }
  });
});
