import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNumber, parseJsonLossless, stringifyJsonLossless } from '../src/index.js';

// stringifyJsonLossless hands V8's serializer a copy of only the arrays and objects that hold a
// bigint or JsonNumber (placeholders in their place): the output must be JSON.stringify's in
// every other respect, and the caller's value must come back untouched.
describe('stringifyJsonLossless', () => {
  it('writes what JSON.stringify writes for anything without bigints (toJSON with its key, Dates, class instances, skipped members)', () => {
    class Model {
      constructor(
        readonly id: string,
        readonly hidden?: () => void,
      ) {}
    }
    const keyed = { toJSON: (key: string) => `key=${key}` };
    const leaf = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(undefined, () => 1, Symbol('s'), new Date(0), keyed, new Model('m', () => undefined), jsonNumber('1.5')),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(stringifyJsonLossless(value)).toBe(JSON.stringify(value) ?? 'null');
      }),
      { numRuns: 500 },
    );
  });

  it('never changes the caller value: frozen input works, and every array and object keeps its identity and members', () => {
    const items = Object.freeze([Object.freeze({ pan: 5291070000000000123n, amount: jsonNumber('105.10') }), Object.freeze({ note: 'ÿ' })]);
    const body = Object.freeze({ items, total: jsonNumber('1.0') });
    expect(stringifyJsonLossless(body)).toBe('{"items":[{"pan":5291070000000000123,"amount":105.10},{"note":"ÿ"}],"total":1.0}');
    const open = { list: [1n, { deep: [2n] }], same: { n: 1 } };
    const { list, same } = open;
    const inner = open.list[1];
    stringifyJsonLossless(open);
    expect(open.list).toBe(list);
    expect(open.same).toBe(same);
    expect(open.list[1]).toBe(inner);
    expect(open).toEqual({ list: [1n, { deep: [2n] }], same: { n: 1 } });
  });

  it('writes a bigint or JsonNumber that a toJSON returns exactly, and passes toJSON its key', () => {
    const keys: string[] = [];
    const model = {
      toJSON(key: string) {
        keys.push(key);
        return { pan: 5291070000000000123n, amount: jsonNumber('1.10') };
      },
    };
    expect(stringifyJsonLossless({ model, list: [model] })).toBe(
      '{"model":{"pan":5291070000000000123,"amount":1.10},"list":[{"pan":5291070000000000123,"amount":1.10}]}',
    );
    expect(keys).toEqual(['model', '0']);
  });

  it('keeps a "__proto__" member holding a bigint as data, in the output and in the copy', () => {
    const text = '{"__proto__":5291070000000000123,"n":{"__proto__":[1.0]}}';
    expect(stringifyJsonLossless(parseJsonLossless(text))).toBe(text);
  });

  it('puts every literal back in order among strings that start like a placeholder', () => {
    const values = Array.from({ length: 120 }, (_, index) => (index % 3 === 0 ? `ÿ${index}:ÿ` : BigInt(`9${String(index).padStart(18, '0')}`)));
    const expected = `[${values.map((item) => (typeof item === 'bigint' ? item.toString() : JSON.stringify(item))).join(',')}]`;
    expect(stringifyJsonLossless(values)).toBe(expected);
  });
});
