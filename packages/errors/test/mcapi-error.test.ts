import { describe, expect, it } from 'vitest';
import { McapiError, errorCodes, exitCodeOf, exitCodes, isMcapiError } from '../src/index.js';

describe('McapiError', () => {
  it('carries a stable code, the message and the cause', () => {
    const cause = new Error('low level');
    const error = new McapiError('ERR_KEY_FORMAT', 'Could not read the key.', { cause });
    expect(error.code).toBe('ERR_KEY_FORMAT');
    expect(error.message).toBe('Could not read the key.');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('McapiError');
    expect(error).toBeInstanceOf(Error);
  });

  it('is recognised across duplicate installs through its brand', () => {
    // An object made by another copy of the class carries the same registry symbol.
    const foreign = Object.create(Error.prototype) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('@mcapi/errors.McapiError'), { value: true });
    expect(foreign instanceof McapiError).toBe(true);
    expect(new Error('plain') instanceof McapiError).toBe(false);
    expect((null as unknown as object) instanceof McapiError).toBe(false);
  });

  it('keeps instanceof precise for subclasses', () => {
    class ApiError extends McapiError {}
    const api = new ApiError('ERR_API', 'x');
    expect(api).toBeInstanceOf(ApiError);
    expect(api).toBeInstanceOf(McapiError);
    expect(api.name).toBe('ApiError');
    expect(new McapiError('ERR_API', 'x')).not.toBeInstanceOf(ApiError);
  });

  it('isMcapiError narrows by code', () => {
    const error = new McapiError('ERR_JWE_DECRYPTION_FAILED', 'x');
    expect(isMcapiError(error)).toBe(true);
    expect(isMcapiError(error, 'ERR_JWE_DECRYPTION_FAILED')).toBe(true);
    expect(isMcapiError(error, 'ERR_KEY_FORMAT')).toBe(false);
    expect(isMcapiError(new Error('x'))).toBe(false);
  });

  it('lists every code once', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) expect(code).toMatch(/^ERR_[A-Z0-9_]+$/);
  });
});

describe('exitCodes (shared by every mcapi CLI)', () => {
  it('is the one table: 0 ok, 1 warning, 2 failure, 64 usage, 130 interrupted', () => {
    expect(exitCodes).toEqual({ ok: 0, warning: 1, failure: 2, usage: 64, interrupted: 130 });
  });
  it('maps ERR_CLI_USAGE to 64 and every other failure to 2', () => {
    expect(exitCodeOf(new McapiError('ERR_CLI_USAGE', 'x'))).toBe(64);
    expect(exitCodeOf(new McapiError('ERR_KEY_FORMAT', 'x'))).toBe(2);
    expect(exitCodeOf(new Error('x'))).toBe(2);
  });
});
