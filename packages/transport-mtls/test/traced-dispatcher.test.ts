import { MockAgent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrace, tracedDispatcher } from '../src/traced-dispatcher.js';

// undici's `request` speaks the older handler API today; the wrapper also speaks the newer one,
// so a future undici that switches keeps timing working. Both are checked here directly.
let agent: MockAgent;
afterEach(async () => {
  await agent.close();
});

function mockReply(): MockAgent {
  agent = new MockAgent();
  agent.disableNetConnect();
  agent.get('https://api.example.test').intercept({ path: '/x' }).reply(200, 'hello');
  return agent;
}

describe('tracedDispatcher', () => {
  it('passes a handler of the newer API through and notes the first byte', async () => {
    const trace = createTrace();
    const events: string[] = [];
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: () => events.push('start'),
        onResponseStart: (_controller, statusCode) => events.push(`status ${statusCode}`),
        onResponseData: (_controller, chunk) => chunks.push(chunk),
        onResponseEnd: () => resolve(),
        onResponseError: (_controller, error) => reject(error),
      };
      tracedDispatcher(mockReply()).dispatch({ origin: 'https://api.example.test', path: '/x', method: 'GET', opaque: trace } as Dispatcher.DispatchOptions, handler);
    });
    await done;
    expect(events).toEqual(['start', 'status 200']);
    expect(Buffer.concat(chunks).toString()).toBe('hello');
    expect(trace.firstByteAt).toBeGreaterThanOrEqual(trace.start);
  });

  it('leaves requests without a trace alone', async () => {
    const untraced = { start: 0, firstOnConnection: false };
    const done = new Promise<number>((resolve, reject) => {
      tracedDispatcher(mockReply()).dispatch({ origin: 'https://api.example.test', path: '/x', method: 'GET', opaque: untraced } as Dispatcher.DispatchOptions, {
        onRequestStart: () => {},
        onResponseStart: (_controller, statusCode) => resolve(statusCode),
        onResponseError: (_controller, error) => reject(error),
      });
    });
    expect(await done).toBe(200);
    expect('firstByteAt' in untraced).toBe(false);
  });
});
