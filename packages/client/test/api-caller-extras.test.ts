// The per-operation extras of the API caller: default headers under the caller's, a correlation
// header an API requires, and the RFI timeout floor (api-facts §2.6.9: never before 40 s).
import { describe, expect, it } from 'vitest';
import { createApiCaller } from '../src/client/api-caller.js';
import type { PipelineRequest } from '../src/pipeline/types.js';

function capture(defaults: { timeoutMs: number; correlationIdHeader: string | false }) {
  const seen: PipelineRequest[] = [];
  const call = createApiCaller(
    async (request) => {
      seen.push(request);
      return { status: 200, headers: {}, text: '{}' };
    },
    'https://xb.test',
    { maxRetries: 0, ...defaults },
  );
  return { call, seen };
}

describe('api caller extras', () => {
  it('raises a shorter timeout to minTimeoutMs, keeps longer ones and 0 (no timeout)', async () => {
    const { call, seen } = capture({ timeoutMs: 10_000, correlationIdHeader: 'x-mc-correlation-id' });
    await call({ operation: 'rfi', method: 'GET', path: '/a', idempotent: true, minTimeoutMs: 40_000 });
    await call({ operation: 'rfi', method: 'GET', path: '/a', idempotent: true, minTimeoutMs: 40_000, options: { timeout: 5_000 } });
    await call({ operation: 'rfi', method: 'GET', path: '/a', idempotent: true, minTimeoutMs: 40_000, options: { timeout: 90_000 } });
    await call({ operation: 'other', method: 'GET', path: '/a', idempotent: true, options: { timeout: 5_000 } });
    expect(seen.map((request) => request.timeoutMs)).toEqual([40_000, 40_000, 90_000, 5_000]);
  });

  it('adds API headers under the caller’s own and the required correlation header even when correlationIdHeader is false', async () => {
    const { call, seen } = capture({ timeoutMs: 60_000, correlationIdHeader: false });
    await call({
      operation: 'addresses.validate',
      method: 'POST',
      path: '/a',
      idempotent: false,
      headers: { 'partner-ref-id': 'P1', 'specification-type': 'TEG' },
      correlationHeader: 'x-mc-correlation-id',
      options: { headers: { 'Partner-Ref-Id': 'mine' }, correlationId: 'corr-7' },
    });
    expect(seen[0]!.headers).toMatchObject({ 'partner-ref-id': 'mine', 'specification-type': 'TEG', 'x-mc-correlation-id': 'corr-7' });
    await call({ operation: 'quotes', method: 'POST', path: '/a', idempotent: false });
    expect(seen[1]!.headers).not.toHaveProperty('x-mc-correlation-id');
  });
});
