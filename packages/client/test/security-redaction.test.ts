// Issue #12 item 2: no full PAN in client log events or in API errors (properties, toJSON,
// util.inspect, cause chain). These assertions failed before McapiError, the API error and the
// logger redacted structurally.
import { MockAgent } from 'undici';
import { everyView } from '@mcapi/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClientLogEvent, createApiError, createMastercardFetch, type MastercardFetch, parseErrorEnvelope } from '../src/index.js';

const pan = '5291070000000000123';
const masked = '529107*********0123';


describe('security: McapiApiError shows no full PAN (issue #12 item 2)', () => {
  it('masks the PAN in path, message, errors, body, headers, JSON.stringify and util.inspect', () => {
    const body = { Errors: { Error: { ReasonCode: 'RESOURCE_UNKNOWN', Description: `No card ${pan}`, Source: 'pan' } } };
    const error = createApiError({
      status: 404,
      method: 'GET',
      url: `https://api.test/cards/${pan}/balance?pan=${pan}`,
      errors: parseErrorEnvelope(body),
      headers: { 'x-request-id': 'r-1', 'set-cookie': 'session=s3cr3t', location: `/cards/${pan}` },
      body,
    });
    expect(error.path).toBe(`/cards/${masked}/balance`);
    const views = everyView(error);
    expect(views).not.toContain(pan);
    expect(views).not.toContain('s3cr3t');
    expect(views).toContain(masked);
    expect(views).toContain('r-1');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'ERR_API', status: 404, path: `/cards/${masked}/balance` });
  });
});

describe('security: client log events show no full PAN (issue #12 item 2)', () => {
  let agent: MockAgent;
  let fetch: MastercardFetch;
  let events: ClientLogEvent[];
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    events = [];
    fetch = createMastercardFetch({
      dispatcher: agent,
      authorizer: async () => ({ authorization: 'Test x' }),
      retry: { initialDelayMs: 1, maxDelayMs: 2 },
      maxRetries: 1,
      logger: (event) => events.push(event),
    });
  });
  afterEach(async () => {
    await fetch.close();
    await agent.close();
  });

  it('masks a PAN in the path of request, retry and response events', async () => {
    const pool = agent.get('https://api.test');
    pool.intercept({ path: `/cards/${pan}?pan=${pan}`, method: 'GET' }).reply(503, '{}');
    pool.intercept({ path: `/cards/${pan}?pan=${pan}`, method: 'GET' }).reply(200, '{"ok":true}');
    const response = await fetch(`https://api.test/cards/${pan}?pan=${pan}`);
    expect(response.status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['request', 'response', 'retry', 'request', 'response']);
    for (const event of events) expect(event.path).toBe(`/cards/${masked}`);
    expect(JSON.stringify(events)).not.toContain(pan);
  });

  it('masks a PAN in an error event and in the error the call rejects with', async () => {
    // No interceptor: the dispatcher fails with a message that quotes the path.
    const failure = fetch(`https://api.test/cards/${pan}`, { method: 'POST', body: `{"pan":"${pan}"}` });
    const error = await failure.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect(events.some((event) => event.type === 'error')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(pan);
    expect((error as { code?: unknown }).code).toBe('ERR_CONNECTION');
    expect(everyView(error as Error)).not.toContain(pan);
  });
});
