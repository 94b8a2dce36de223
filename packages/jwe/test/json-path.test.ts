import { isMcapiError } from '@mcapi/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteAtLocation, formatJsonPath, getAtLocation, parseJsonPath, queryJsonPath, setAtLocation } from '../src/index.js';

describe('parseJsonPath', () => {
  it('reads $, dotted, Mastercard-style, bracketed, indices and wildcards', () => {
    expect(parseJsonPath('$').segments).toEqual([]);
    expect(parseJsonPath('$.card.pan').segments).toEqual([
      { type: 'key', key: 'card' },
      { type: 'key', key: 'pan' },
    ]);
    expect(parseJsonPath('path.to.foo').segments).toEqual(parseJsonPath('$.path.to.foo').segments);
    expect(parseJsonPath(`$['a b']["c.d"]['it\\'s']`).segments).toEqual([
      { type: 'key', key: 'a b' },
      { type: 'key', key: 'c.d' },
      { type: 'key', key: "it's" },
    ]);
    expect(parseJsonPath('$.items[0][*].pan').segments).toEqual([
      { type: 'key', key: 'items' },
      { type: 'index', index: 0 },
      { type: 'wildcard' },
      { type: 'key', key: 'pan' },
    ]);
    expect(parseJsonPath('$.*').segments).toEqual([{ type: 'wildcard' }]);
  });

  it('rejects malformed paths with ERR_PAYLOAD_PATH', () => {
    for (const path of ['', ' ', '$..a', '$.', '$.a.', '$[', '$[a]', "$['a", '$[-1]', '$a', '$.a]']) {
      let error: unknown;
      try {
        parseJsonPath(path);
      } catch (e) {
        error = e;
      }
      expect(isMcapiError(error, 'ERR_PAYLOAD_PATH'), path).toBe(true);
    }
  });
});

describe('queryJsonPath', () => {
  const body = { items: [{ card: { pan: '1' } }, { other: true }, { card: { pan: '3' } }], top: 'x', nil: null };

  it('expands wildcards and skips absent members', () => {
    expect(queryJsonPath(body, '$.items[*].card')).toEqual([
      { location: ['items', 0, 'card'], value: { pan: '1' } },
      { location: ['items', 2, 'card'], value: { pan: '3' } },
    ]);
    expect(queryJsonPath(body, '$.items[1].other')).toEqual([{ location: ['items', 1, 'other'], value: true }]);
    expect(queryJsonPath(body, '$.missing.deeper')).toEqual([]);
    expect(queryJsonPath(body, '$.items[9]')).toEqual([]);
    expect(queryJsonPath(body, '$.top.length')).toEqual([]);
    expect(queryJsonPath(body, '$.nil')).toEqual([{ location: ['nil'], value: null }]);
  });

  it('matches root arrays and primitives with $', () => {
    expect(queryJsonPath([1, 2], '$')).toEqual([{ location: [], value: [1, 2] }]);
    expect(queryJsonPath('text', '$')).toEqual([{ location: [], value: 'text' }]);
    expect(queryJsonPath(undefined, '$')).toEqual([]);
  });

  it('never reads inherited members', () => {
    expect(queryJsonPath({}, '$.constructor')).toEqual([]);
    expect(queryJsonPath({}, '$.__proto__')).toEqual([]);
  });
});

describe('setAtLocation / deleteAtLocation', () => {
  it('copy on write: the input is never mutated', () => {
    const input = { a: { b: 1 }, keep: { deep: [1] } };
    const snapshot = structuredClone(input);
    const set = setAtLocation(input, ['a', 'c'], 2) as typeof input & { a: { c: number } };
    const removed = deleteAtLocation(input, ['a', 'b']);
    expect(input).toEqual(snapshot);
    expect(set).toEqual({ a: { b: 1, c: 2 }, keep: { deep: [1] } });
    expect(set.keep).toBe(input.keep);
    expect(removed).toEqual({ a: {}, keep: { deep: [1] } });
  });

  it('creates missing containers and keeps __proto__ a plain member', () => {
    expect(setAtLocation(undefined, ['x', 0, 'y'], 1)).toEqual({ x: [{ y: 1 }] });
    const polluted = setAtLocation({}, ['__proto__', 'polluted'], true) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(polluted, '__proto__')).toBe(true);
  });

  it('refuses to remove array elements (indices would shift)', () => {
    expect(() => deleteAtLocation({ a: [1, 2] }, ['a', 0])).toThrow(/array element/);
  });

  it('property: set then get returns the value, and format/parse round-trips the location', () => {
    const step = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.nat({ max: 5 }));
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(step, { maxLength: 5 }), fc.jsonValue(), (root, location, value) => {
        const before = JSON.stringify(root);
        const updated = setAtLocation(root, location, value);
        expect(JSON.stringify(root)).toBe(before);
        expect(getAtLocation(updated, location)).toEqual(value);
        const parsed = parseJsonPath(formatJsonPath(location)).segments.map((s) =>
          s.type === 'key' ? s.key : s.type === 'index' ? s.index : '*',
        );
        // A key that is literally "*" is written bracketed and must stay a key.
        expect(parsed).toEqual(location);
      }),
      { numRuns: 300 },
    );
  });

  it('property: parseJsonPath only ever throws ERR_PAYLOAD_PATH', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (path) => {
        try {
          parseJsonPath(path);
        } catch (error) {
          expect(isMcapiError(error, 'ERR_PAYLOAD_PATH')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
