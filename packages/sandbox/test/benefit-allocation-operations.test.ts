import { describe, expect, it } from 'vitest';
import { BAS_BASE_PATH, findBasOperation } from '../src/bas/bas-routes.js';
import { type BasState, emptyBasState } from '../src/bas/bas-state.js';
import { parseJsonLossless } from '@mcapi/jwe';
import type { ServiceResponse } from '../src/service-types.js';

// Business rules of the five operations (api-facts §1.2–§1.5), called the way the gateway calls
// them, without TLS or JWE (those are covered in benefit-allocation*.test.ts).

function bas(state: BasState = emptyBasState()) {
  return (method: string, path: string, json: string, project = 'p'): ServiceResponse => {
    const route = findBasOperation(state, method, `${BAS_BASE_PATH}${path}`);
    if (!('handler' in route)) throw new Error(`no operation: ${route.status}`);
    return route.handler({ method, path, params: {}, query: new URLSearchParams(), body: parseJsonLossless(json, { longIntegers: 'string' }), project, now: 0 });
  };
}

const pan = '5291070000000000';
const errorOf = (response: ServiceResponse) =>
  (response.body as { Errors: { Error: Array<{ ReasonCode: string; Details?: string }> } }).Errors.Error[0]!;
const assign = (card: string, code = 'DART', date = '2023-08-08') => `{"cardNumber":${card},"segments":[{"code":"${code}","effectiveDate":"${date}"}]}`;

describe('card-number and date rules (ReasonCode 50)', () => {
  it.each([
    ['15 digits', '529107000000000'],
    ['17 digits', '52910700000000001'],
    ['18 digits', '529107000000000012'],
    ['20 digits', '52910700000000000123'],
    ['a quoted non-digit string', '"5291-0700-0000-0000"'],
    ['a negative number', '-5291070000000000'],
    ['a fraction', '5291070000000000.5'],
  ])('refuses %s', (_name, card) => {
    const response = bas()('POST', '/card-segments', assign(card));
    expect(response.status).toBe(400);
    expect(errorOf(response).ReasonCode).toBe('50');
    expect(errorOf(response).Details).toMatch(/cardNumber/);
  });

  it.each([['16', '5291070000000000'], ['19', '5291070000000000123']])('accepts %s digits', (_digits, card) => {
    expect(bas()('POST', '/card-segments', assign(card)).status).toBe(200);
  });

  it.each(['2023-02-30', '2023-13-01', '23-08-08', '2023/08/08', ''])('refuses the date "%s"', (date) => {
    const response = bas()('POST', '/card-segments', assign(pan, 'DART', date));
    expect(response.status).toBe(400);
    expect(errorOf(response).Details).toMatch(/effectiveDate/);
  });

  it('requires exactly one segment', () => {
    const call = bas();
    for (const segments of ['[]', '[{"code":"A","effectiveDate":"2023-01-01"},{"code":"B","effectiveDate":"2023-01-01"}]', '{}']) {
      const response = call('POST', '/card-segments', `{"cardNumber":${pan},"segments":${segments}}`);
      expect(errorOf(response).Details).toMatch(/exactly one/);
    }
  });
});

describe('segment lifecycle', () => {
  it('assign → second assign refused → replace → cancel, with real dates', () => {
    const call = bas();
    expect(call('POST', '/card-segments', assign(pan)).status).toBe(200);
    const again = call('POST', '/card-segments', assign(pan, 'PRT'));
    expect(errorOf(again).Details).toMatch(/already has an active segment/);

    const replaced = call('PUT', '/card-segments-replacements', `{"cardNumber":${pan},"oldSegmentCode":"DART","newSegmentCode":"PRT","effectiveDate":"2024-01-10"}`);
    expect(replaced).toMatchObject({ status: 200, body: { bundles: [{ code: 'PC7781', effectiveDate: '2024-01-10' }, { code: 'PC2290', effectiveDate: '2024-01-10' }] } });

    // DART is no longer active: replacing or cancelling it again is ReasonCode 43.
    expect(errorOf(call('PUT', '/card-segments-cancellations', `{"cardNumber":${pan},"segments":[{"code":"DART","expiryDate":"2024-02-01"}]}`)).ReasonCode).toBe('43');

    const early = call('PUT', '/card-segments-cancellations', `{"cardNumber":${pan},"segments":[{"code":"PRT","expiryDate":"2024-01-01"}]}`);
    expect(errorOf(early).Details).toMatch(/on or after the effective date/);
    const cancelled = call('PUT', '/card-segments-cancellations', `{"cardNumber":${pan},"segments":[{"code":"PRT","expiryDate":"2024-07-18"}]}`);
    expect(cancelled.body).toEqual({
      bundles: [
        { code: 'PC7781', effectiveDate: '2024-01-10', expiryDate: '2024-07-18' },
        { code: 'PC2290', effectiveDate: '2024-01-10', expiryDate: '2024-07-18' },
      ],
    });
    // With no active segment a new assignment is allowed again.
    expect(call('POST', '/card-segments', assign(pan, 'DART', '2024-08-01')).status).toBe(200);
  });

  it('refuses a replacement dated before the old segment started', () => {
    const call = bas();
    call('POST', '/card-segments', assign(pan, 'DART', '2024-05-01'));
    const response = call('PUT', '/card-segments-replacements', `{"cardNumber":${pan},"oldSegmentCode":"DART","newSegmentCode":"PRT","effectiveDate":"2024-04-01"}`);
    expect(errorOf(response).ReasonCode).toBe('50');
  });

  it('answers 43 for a card with no segment', () => {
    const response = bas()('PUT', '/card-segments-replacements', `{"cardNumber":${pan},"oldSegmentCode":"DART","newSegmentCode":"PRT","effectiveDate":"2024-04-01"}`);
    expect(response.status).toBe(400);
    expect(errorOf(response).ReasonCode).toBe('43');
  });
});

describe('card replacement', () => {
  const replace = (oldCard: string, newCard: string, date = '2024-03-01') =>
    `{"oldCardNumber":${oldCard},"newCardNumber":${newCard},"effectiveDate":"${date}"}`;

  it('moves the unexpired benefits to the new card, once', () => {
    const state = emptyBasState();
    const call = bas(state);
    call('POST', '/card-segments', assign(pan));
    const moved = call('POST', '/cards', replace(pan, '5291070000000898'));
    expect(moved.body).toEqual({ bundles: [{ code: 'PC4657', effectiveDate: '2024-03-01' }, { code: 'PC6323', effectiveDate: '2024-03-01' }] });
    expect(state.cards[pan]!.bundles.every((bundle) => bundle.expiryDate === '2024-02-29')).toBe(true);
    expect(errorOf(call('POST', '/cards', replace(pan, '5291070000000899'))).ReasonCode).toBe('43');
    // The new card now holds DART and can be cancelled there.
    expect(call('PUT', '/card-segments-cancellations', `{"cardNumber":5291070000000898,"segments":[{"code":"DART","expiryDate":"2024-12-31"}]}`).status).toBe(200);
  });

  it('refuses a new card in use, in another range, or a source without benefits', () => {
    const call = bas();
    call('POST', '/card-segments', assign(pan));
    call('POST', '/card-segments', assign('5291070000000777'));
    expect(errorOf(call('POST', '/cards', replace(pan, '5291070000000777'))).Details).toMatch(/already in use/);
    expect(errorOf(call('POST', '/cards', replace(pan, '4111110000000000'))).Details).toMatch(/account range/);
    expect(errorOf(call('POST', '/cards', replace('5291070000000555', '5291070000000556'))).ReasonCode).toBe('43');
  });
});

describe('freeze and unfreeze', () => {
  const freeze = (frozen: boolean | string) => `{"cardNumber":${pan},"date":"2023-08-08","isFrozen":${frozen}}`;
  it('freezes with 204, refuses double freeze and unfreezing a card that is not frozen', () => {
    const call = bas();
    expect(errorOf(call('PUT', '/cards', freeze(true))).ReasonCode).toBe('43');
    call('POST', '/card-segments', assign(pan));
    expect(errorOf(call('PUT', '/cards', freeze(false))).Details).toMatch(/not frozen/);
    expect(call('PUT', '/cards', freeze(true))).toEqual({ status: 204 });
    expect(errorOf(call('PUT', '/cards', freeze(true))).Details).toMatch(/already frozen/);
    expect(call('PUT', '/cards', freeze(false))).toEqual({ status: 204 });
    expect(errorOf(call('PUT', '/cards', freeze('"yes"'))).Details).toMatch(/isFrozen/);
  });

  it('keeps PERMISSION_DENIED for other projects', () => {
    const call = bas();
    call('POST', '/card-segments', assign(pan), 'a');
    const denied = call('PUT', '/cards', freeze(true), 'b');
    expect(denied.status).toBe(403);
    expect(errorOf(denied).ReasonCode).toBe('PERMISSION_DENIED');
  });
});
