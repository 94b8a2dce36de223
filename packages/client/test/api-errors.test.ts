import { McapiError } from '@mcapi/errors';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createApiError,
  DeclinedError,
  McapiApiError,
  NotFoundError,
  parseErrorEnvelope,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '../src/index.js';

const init = (status: number, body: unknown) => ({
  status,
  method: 'POST',
  url: 'https://sandbox.api.mastercard.com/send/v1/partners/P/crossborder/payment?ref=x',
  errors: parseErrorEnvelope(body),
  headers: {},
  body,
});

describe('parseErrorEnvelope', () => {
  it('reads the Cross-Border envelope with a single Error, trailing-space ReasonCode and string Recoverable', () => {
    const errors = parseErrorEnvelope({
      Errors: {
        Error: {
          RequestId: 13559438,
          Source: 'transaction_reference',
          ReasonCode: 'DECLINE ',
          Description: 'Duplicate',
          Recoverable: 'false',
          Details: { Detail: { Name: 'ErrorDetailCode', Value: 130105 } },
        },
      },
    });
    expect(errors).toEqual([
      {
        requestId: '13559438',
        source: 'transaction_reference',
        reasonCode: 'DECLINE',
        description: 'Duplicate',
        recoverable: false,
        details: [{ name: 'ErrorDetailCode', value: '130105' }],
      },
    ]);
  });

  it('reads the BAS envelope (Error array, numeric ReasonCode, Details text) and lower-case keys', () => {
    expect(
      parseErrorEnvelope({ Errors: { Error: [{ Source: 'BAS', ReasonCode: 50, Recoverable: true, Details: 'invalid card number format' }] } }),
    ).toEqual([{ source: 'BAS', reasonCode: '50', recoverable: true, details: 'invalid card number format' }]);
    expect(parseErrorEnvelope({ errors: { error: [{ reasoncode: 'X', details: { detail: [{ name: 'a', value: 'b' }] } }] } })).toEqual([
      { reasonCode: 'X', details: [{ name: 'a', value: 'b' }] },
    ]);
  });

  it('returns nothing for bodies that are not envelopes', () => {
    expect(parseErrorEnvelope(undefined)).toEqual([]);
    expect(parseErrorEnvelope('<html>')).toEqual([]);
    expect(parseErrorEnvelope({ Errors: { Error: ['x', null] } })).toEqual([]);
  });
});

describe('McapiApiError', () => {
  it('maps every documented status to its class, all McapiError with code ERR_API', () => {
    const cases: [number, new (...args: never[]) => McapiApiError][] = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [402, DeclinedError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [429, RateLimitError],
      [500, ServerError],
      [503, ServerError],
    ];
    for (const [status, type] of cases) {
      const error = createApiError(init(status, { Errors: { Error: [{ ReasonCode: 'X' }] } }));
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(McapiApiError);
      expect(error).toBeInstanceOf(McapiError);
      expect(error.code).toBe('ERR_API');
      expect(error.status).toBe(status);
    }
    expect(createApiError(init(418, {}))).not.toBeInstanceOf(BadRequestError);
  });

  it('exposes the envelope, the detail code and the acceptable base string; the message masks PANs and drops the query', () => {
    const error = createApiError(
      init(401, {
        Errors: {
          Error: {
            ReasonCode: 'AUTHENTICATION_FAILED',
            Description: 'Signature mismatch for card 5291070000000000. Acceptable signature base string: POST&https%3A%2F%2Fx&oauth_a%3Db',
            Details: { Detail: [{ Name: 'ErrorDetailCode', Value: '050007' }, { Name: 'cardNumber', Value: '5291070000000000' }] },
          },
        },
      }),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    // Logged whole (JSON.stringify, console.log), the error shows no full PAN anywhere.
    expect(JSON.stringify({ errors: error.errors, body: error.body })).not.toContain('5291070000000000');
    expect(JSON.stringify(error.body)).toContain('529107******0000');
    expect(error.reasonCode).toBe('AUTHENTICATION_FAILED');
    expect(error.errorDetailCode).toBe('050007');
    expect(error.acceptableBaseString).toBe('POST&https%3A%2F%2Fx&oauth_a%3Db');
    expect(error.message).toContain('/send/v1/partners/P/crossborder/payment');
    expect(error.message).not.toContain('ref=x');
    expect(error.message).not.toContain('5291070000000000');
    expect(error.message).toContain('529107******0000');
    expect(error.message).toMatch(/Check the consumer key, the signing key and the clock/);
  });
});
