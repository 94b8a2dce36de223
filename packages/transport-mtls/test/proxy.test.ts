import { inspect } from 'node:util';
import { isMcapiError } from '@mcapi/errors';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createMtlsTransport, type RequestTiming } from '../src/index.js';
import { createNoProxyMatcher } from '../src/proxy/no-proxy.js';
import { resolveProxy } from '../src/proxy/resolve-proxy.js';
import { startConnectProxy, type TestProxy } from '@mcapi/test-services';
import { useServerAndTransport } from './support/server-and-transport.js';
import { startServer } from './support/tls-server.js';

const fixture = useServerAndTransport();

async function proxy(options?: Parameters<typeof startConnectProxy>[0]): Promise<TestProxy> {
  const started = await startConnectProxy(options);
  fixture.onCleanup(() => started.close());
  return started;
}

function clientName(body: Uint8Array): string {
  return (JSON.parse(Buffer.from(body).toString()) as { client: string }).client;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isMcapiError(error)) throw new Error(`expected an McapiError, got ${String(error)}`);
  return error as Error & { code: string };
}

describe('through a CONNECT proxy', () => {
  it('presents the client certificate end to end and the proxy carries the bytes', async () => {
    const via = await proxy();
    const timings: RequestTiming[] = [];
    const { server, url, transport } = await fixture.setup({}, { proxy: via.url, onTiming: (timing) => timings.push(timing) });
    const response = await transport.request({ method: 'GET', url: `${url}/through` });
    expect(response.status).toBe(200);
    expect(clientName(response.body)).toBe(fixture.pki.client.certificate.subject.split('CN=')[1]?.split('\n')[0]);
    expect(via.tunnels).toEqual([new URL(url).host]);
    expect(via.bytesRelayed()).toBeGreaterThan(0);
    expect(server.handshakes).toBe(1);
    expect(timings[0]).toMatchObject({ status: 200, newConnection: true });
    expect(timings[0]?.tlsMs).toBeGreaterThanOrEqual(0);
    expect(timings[0]?.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps connections pooled: 50 requests, one tunnel, one handshake', async () => {
    const via = await proxy();
    const { server, url, transport } = await fixture.setup({}, { proxy: { url: via.url }, connections: 1 });
    for (let index = 0; index < 50; index += 1) {
      expect((await transport.request({ method: 'GET', url: `${url}/pooled/${index}` })).status).toBe(200);
    }
    expect(via.tunnels).toHaveLength(1);
    expect(server.handshakes).toBe(1);
  });

  it('reload() opens new tunnels that present the new certificate', async () => {
    const via = await proxy();
    const { server, url, transport } = await fixture.setup({}, { proxy: via.url, connections: 1 });
    await transport.request({ method: 'GET', url });
    await transport.reload({ cert: fixture.pki.nextClient.cert, key: fixture.pki.nextClient.key });
    const after = await transport.request({ method: 'GET', url });
    expect(clientName(after.body)).toBe(server.clientNames[1]);
    expect(server.clientNames[1]).not.toBe(server.clientNames[0]);
    expect(via.tunnels).toHaveLength(2);
  });

  it('still verifies the server: an untrusted origin certificate fails inside the tunnel', async () => {
    const via = await proxy();
    const { url, transport } = await fixture.setup({}, { proxy: via.url, ca: fixture.pki.otherCa.cert });
    const error = await failure(transport.request({ method: 'GET', url }));
    expect(error.code).toBe('ERR_TLS_SERVER_UNTRUSTED');
    expect(via.tunnels).toHaveLength(1);
  });

  it('a server that refuses the (missing) client certificate is reported as such through the tunnel', async () => {
    const via = await proxy();
    const server = await startServer(fixture.pki);
    fixture.onCleanup(() => server.close());
    const transport = createMtlsTransport({ ca: fixture.pki.ca.cert, proxy: via.url });
    fixture.onCleanup(() => transport.close());
    const error = await failure(transport.request({ method: 'GET', url: server.url }));
    expect(error.code).toBe('ERR_MTLS_HANDSHAKE_REJECTED');
  });

  it('sends proxy credentials from the URL only to the proxy, and never shows them in errors', async () => {
    const via = await proxy({ credentials: { username: 'svc-mc', password: 's3cret-proxy-pass' } });
    const good = await fixture.setup({}, { proxy: `http://svc-mc:s3cret-proxy-pass@${new URL(via.url).host}` });
    expect((await good.transport.request({ method: 'GET', url: good.url })).status).toBe(200);
    expect(via.authorizations[0]).toBe(`Basic ${Buffer.from('svc-mc:s3cret-proxy-pass').toString('base64')}`);

    const bad = await fixture.setup({}, { proxy: { url: via.url, username: 'svc-mc', password: 'wrong-proxy-pass' } });
    const error = await failure(bad.transport.request({ method: 'GET', url: bad.url }));
    expect(error.code).toBe('ERR_PROXY');
    expect(error.message).toContain('407');
    expect(error.message).toContain(via.url);
    const everything = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })} ${String(error.cause)}`;
    expect(everything).not.toContain('wrong-proxy-pass');
    expect(everything).not.toContain(Buffer.from('svc-mc:wrong-proxy-pass').toString('base64'));

    const none = await fixture.setup({}, { proxy: via.url });
    const missing = await failure(none.transport.request({ method: 'GET', url: none.url }));
    expect(missing.code).toBe('ERR_PROXY');
    expect(missing.message).toMatch(/requires authentication/);
  });

  it('speaks TLS to an https: proxy trusted through proxy.ca, and says what to do without it', async () => {
    const via = await proxy({ tls: { cert: fixture.pki.server.cert, key: fixture.pki.server.key } });
    const trusted = await fixture.setup({}, { proxy: { url: via.url, ca: fixture.pki.ca.cert } });
    expect((await trusted.transport.request({ method: 'GET', url: trusted.url })).status).toBe(200);
    expect(via.tunnels).toHaveLength(1);

    const untrusted = await fixture.setup({}, { proxy: via.url });
    const error = await failure(untrusted.transport.request({ method: 'GET', url: untrusted.url }));
    expect(error.code).toBe('ERR_PROXY');
    expect(error.message).toContain('proxy.ca');
  });

  it('a proxy that is not there fails with ERR_PROXY naming it', async () => {
    const via = await startConnectProxy();
    await via.close();
    const { url, transport } = await fixture.setup({}, { proxy: via.url });
    const error = await failure(transport.request({ method: 'GET', url }));
    expect(error.code).toBe('ERR_PROXY');
    expect(error.message).toContain(via.url);
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('HTTPS_PROXY and NO_PROXY', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('reads HTTPS_PROXY at construction; NO_PROXY exempts a host; proxy: false ignores both', async () => {
    const via = await proxy();
    process.env.HTTPS_PROXY = via.url;
    delete process.env.https_proxy;
    const viaEnv = await fixture.setup({});
    expect((await viaEnv.transport.request({ method: 'GET', url: viaEnv.url })).status).toBe(200);
    expect(via.tunnels).toHaveLength(1);

    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    const exempt = await fixture.setup({});
    expect((await exempt.transport.request({ method: 'GET', url: exempt.url })).status).toBe(200);
    delete process.env.NO_PROXY;
    const off = await fixture.setup({}, { proxy: false });
    expect((await off.transport.request({ method: 'GET', url: off.url })).status).toBe(200);
    expect(via.tunnels).toHaveLength(1);
  });

  it('resolveProxy: lower case wins, credentials leave the URL, empty values are ignored', () => {
    const resolved = resolveProxy(undefined, { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://user:p%40ss@lower:3128', NO_PROXY: '' });
    expect(resolved?.display).toBe('http://lower:3128');
    expect(resolved?.url.href).toBe('http://lower:3128/');
    expect(resolved?.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(resolveProxy(undefined, { HTTPS_PROXY: '  ' })).toBeUndefined();
    expect(resolveProxy(false, { HTTPS_PROXY: 'http://proxy:3128' })).toBeUndefined();
  });
});

describe('proxy options', () => {
  it('are checked at construction without echoing a password', () => {
    const attempts: [unknown, RegExp][] = [
      ['socks5://proxy:1080', /http: or https:/],
      ['http://user:hunter2@[bad', /not an absolute URL/],
      [{ url: 'http://proxy:3128', pasword: 'x' }, /Unknown proxy option pasword/],
      [{ url: 'http://proxy:3128', ca: '-----BEGIN CERTIFICATE-----' }, /./],
      [{ url: 'http://proxy:3128', username: 7 }, /proxy.username must be a string/],
      [42, /proxy must be/],
    ];
    for (const [value, message] of attempts) {
      let caught: unknown;
      try {
        createMtlsTransport({ proxy: value as never });
      } catch (error) {
        caught = error;
      }
      expect(isMcapiError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(message);
      expect(`${(caught as Error).message} ${inspect(caught)}`).not.toContain('hunter2');
    }
  });

  it('cannot be combined with a caller-supplied dispatcher', () => {
    const dispatcher = new Agent();
    expect(() => createMtlsTransport({ dispatcher, proxy: 'http://127.0.0.1:3128' })).toThrow(/dispatcher cannot be combined with proxy/);
    void dispatcher.close();
  });
});

describe('NO_PROXY matching', () => {
  it('follows curl: domains cover subdomains, leading dots and ports, IPv6 literals, *', () => {
    const match = createNoProxyMatcher('.corp.example, mastercard.com:8443 [::1] 10.0.0.7');
    expect(match('api.corp.example', 443)).toBe(true);
    expect(match('corp.example', 443)).toBe(true);
    expect(match('notcorp.example', 443)).toBe(false);
    expect(match('sandbox.api.mastercard.com', 8443)).toBe(true);
    expect(match('sandbox.api.mastercard.com', 443)).toBe(false);
    expect(match('[::1]', 443)).toBe(true);
    expect(match('10.0.0.7', 443)).toBe(true);
    expect(match('10.0.0.70', 443)).toBe(false);
    expect(createNoProxyMatcher('*')('anything', 1)).toBe(true);
    expect(createNoProxyMatcher(undefined)('anything', 1)).toBe(false);
    expect(createNoProxyMatcher(['API.Example.com'])('api.example.COM', 443)).toBe(true);
  });
});
