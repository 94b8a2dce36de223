import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createMtlsTransport, type RequestTiming } from '../src/index.js';

// Pure request shaping through a caller-supplied dispatcher (undici MockAgent): no TLS here;
// everything TLS is tested against real servers in the other files.
let agent: MockAgent;
afterEach(async () => {
  await agent.close();
});

function mock(): MockAgent {
  agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

describe('request shaping', () => {
  it('passes method, path with query, headers and body; repeated response headers come back as arrays', async () => {
    const pool = mock().get('https://api.example.test');
    let seen: { path: string; method: string; headers: unknown; body: unknown } | undefined;
    pool
      .intercept({ path: '/v1/items?limit=2&offset=4', method: 'PATCH' })
      .reply((options) => {
        seen = { path: options.path, method: options.method, headers: options.headers, body: options.body };
        return { statusCode: 202, data: 'done', responseOptions: { headers: { 'set-cookie': ['a=1', 'b=2'], 'x-request-id': 'r-1' } } };
      });
    const transport = createMtlsTransport({ dispatcher: agent });
    const response = await transport.request({
      method: 'PATCH',
      url: 'https://api.example.test/v1/items?limit=2&offset=4',
      headers: { 'content-type': 'text/plain', accept: ['application/json', 'text/plain'] },
      body: 'change',
    });
    expect(seen).toMatchObject({ path: '/v1/items?limit=2&offset=4', method: 'PATCH', body: 'change' });
    expect(seen?.headers).toMatchObject({ 'content-type': 'text/plain' });
    expect(response.status).toBe(202);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['x-request-id']).toBe('r-1');
    expect(Buffer.from(response.body).toString()).toBe('done');
  });

  it('reports timing without connection details when the dispatcher is not ours', async () => {
    mock().get('https://api.example.test').intercept({ path: '/t' }).reply(200, 'ok');
    const timings: RequestTiming[] = [];
    const transport = createMtlsTransport({ dispatcher: agent, onTiming: (timing) => timings.push(timing) });
    await transport.request({ method: 'GET', url: 'https://api.example.test/t' });
    expect(timings).toHaveLength(1);
    expect(timings[0]).toMatchObject({ method: 'GET', url: 'https://api.example.test/t', status: 200, newConnection: false });
    expect(timings[0]?.tlsMs).toBeUndefined();
    expect(timings[0]?.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it('an unreachable origin is ERR_CONNECTION, keeping the underlying error as cause', async () => {
    mock();
    const transport = createMtlsTransport({ dispatcher: agent });
    const error = await transport.request({ method: 'GET', url: 'https://nowhere.example.test/' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_CONNECTION' });
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('UND_MOCK_ERR_MOCK_NOT_MATCHED');
  });

  it('a header undici refuses to send is ERR_INVALID_OPTION, before anything goes out', async () => {
    mock();
    // A real Agent: undici checks headers when it builds the request, before connecting.
    const real = new Agent();
    const transport = createMtlsTransport({ dispatcher: real });
    await expect(
      transport.request({ method: 'GET', url: 'https://127.0.0.1:9/', headers: { 'bad header name': 'x' } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('refused before sending') });
    await real.close();
  });
});
