import { describe, expect, it } from 'vitest';
import { crossBorderRoutes } from '../src/cross-border/cross-border-routes.js';
import { createRouteTable } from '../src/http/route-table.js';

describe('route table', () => {
  const table = createRouteTable([
    ['GET', '/items/:id', 'get item'],
    ['POST', '/items/special', 'post special'],
    ['GET', '/items/:id/parts/:part', 'get part'],
    ['DELETE', '/items/:id/parts/:part', 'delete part'],
    ['GET', '/', 'root'],
  ]);

  it('prefers a literal segment over a parameter, whatever the order of definition', () => {
    expect(table.match('POST', '/items/special')).toMatchObject({ kind: 'found', handler: 'post special', params: {} });
    // The literal path exists for POST only: a 405, never "special" read as an id.
    expect(table.match('GET', '/items/special')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(table.match('GET', '/items/42')).toMatchObject({ kind: 'found', handler: 'get item', params: { id: '42' } });
  });

  it('falls back to a parameter when the literal branch has no route for the whole path', () => {
    expect(table.match('GET', '/items/special/parts/a%20b')).toMatchObject({ kind: 'found', handler: 'get part', params: { id: 'special', part: 'a b' } });
  });

  it('answers 405 with every allowed method, 404 for unknown or empty segments, and flags malformed escapes', () => {
    expect(table.match('PUT', '/items/1/parts/2')).toEqual({ kind: 'method-not-allowed', allow: ['DELETE', 'GET'] });
    expect(table.match('GET', '/nothing')).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/items//parts/x')).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/items/1/')).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/')).toMatchObject({ kind: 'found', handler: 'root' });
    expect(table.match('GET', '/items/%E0%A4%A')).toEqual({ kind: 'malformed-path', segment: '%E0%A4%A' });
  });

  it('refuses conflicting definitions at construction', () => {
    expect(() => createRouteTable([['GET', '/a/:x', 1], ['GET', '/a/:y/b', 2]])).toThrow(/conflicts/);
    expect(() => createRouteTable([['GET', '/a', 1], ['GET', '/a', 2]])).toThrow(/twice/);
  });

  it('serves the Cross-Border catalogue: payment, quotes and rates are resources, not payment ids', () => {
    const base = '/send/v1/partners/P1/crossborder';
    expect(crossBorderRoutes.match('GET', `${base}/payment`)).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(crossBorderRoutes.match('GET', `${base}/quotes`)).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(crossBorderRoutes.match('GET', `${base}/rates`)).toMatchObject({ kind: 'found', pattern: '/send/v1/partners/:partnerId/crossborder/rates' });
    expect(crossBorderRoutes.match('GET', `${base}/PAY-1`)).toMatchObject({ kind: 'found', params: { partnerId: 'P1', paymentId: 'PAY-1' } });
    expect(crossBorderRoutes.match('POST', `${base}/PAY-1/cancel`)).toMatchObject({ kind: 'found', params: { paymentId: 'PAY-1' } });
  });
});
