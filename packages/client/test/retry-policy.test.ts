import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from '../src/index.js';
import { retryableError, retryableResponse } from '../src/pipeline/retry-policy.js';
import { readErrorBody } from '../src/pipeline/error-body-step.js';
import type { PipelineRequest } from '../src/pipeline/types.js';

const request = (method: 'GET' | 'POST', idempotent: boolean): PipelineRequest => ({
  operation: 'test',
  method,
  url: 'https://example.test/x',
  headers: {},
  idempotent,
  maxRetries: 2,
  attempt: 0,
});
// As the error-body step hands it to the retry step: an error's body parsed once.
const response = (status: number, text = '') => ({ status, headers: {}, text, ...(status >= 400 ? { error: readErrorBody(text) } : {}) });
const systemError = JSON.stringify({
  Errors: { Error: { ReasonCode: 'SYSTEM_ERROR', Details: { Detail: { Name: 'ErrorDetailCode', Value: '150001' } } } },
});

describe('retry policy', () => {
  it('backs off exponentially with jitter between 75 % and 100 %, capped', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { random: () => 1 })).toBe(375);
    expect(backoffDelay(3, { random: () => 0 })).toBe(4000);
    expect(backoffDelay(10, { random: () => 0 })).toBe(8000);
  });

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, () => 4_000)).toBe(6000);
    expect(retryAfterMs({ 'retry-after-ms': '250' })).toBe(250);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });

  it('retries 429 and 503 for any method, other 5xx only when idempotent', () => {
    expect(retryableResponse(request('POST', false), response(429))).toBeDefined();
    expect(retryableResponse(request('POST', false), response(503))).toBeDefined();
    expect(retryableResponse(request('POST', false), response(500))).toBeUndefined();
    expect(retryableResponse(request('GET', true), response(500))).toBeDefined();
    expect(retryableResponse(request('GET', true), response(400))).toBeUndefined();
  });

  it("retries Mastercard's SYSTEM_ERROR even for a payment POST, which asks for an identical resubmission", () => {
    expect(retryableResponse(request('POST', false), response(500, systemError))).toMatch(/SYSTEM_ERROR/);
    expect(retryableResponse(request('POST', false), response(400, systemError))).toMatch(/SYSTEM_ERROR/);
    expect(retryableResponse(request('POST', false), response(400, '{"Errors":{"Error":{"ReasonCode":"DECLINE"}}}'))).toBeUndefined();
  });

  it('retries connection failures before sending for any method, ambiguous ones only when idempotent', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ERR_CONNECTION', cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    const reset = Object.assign(new Error('reset'), { code: 'ERR_CONNECTION', cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(retryableError(request('POST', false), refused)).toMatch(/not sent/);
    expect(retryableError(request('POST', false), reset)).toBeUndefined();
    expect(retryableError(request('GET', true), reset)).toBeDefined();
    const rejected = Object.assign(new Error('tls'), { code: 'ERR_MTLS_HANDSHAKE_REJECTED', cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(retryableError(request('GET', true), rejected)).toBeUndefined();
  });
});
