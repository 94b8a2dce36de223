import { describe, expect, it } from 'vitest';
import { indentJsonText } from '../src/index.js';

describe('indentJsonText', () => {
  it('indents JSON text without touching strings or number literals', () => {
    expect(indentJsonText('{"a":[1.10,{"b":"x,{y}:\\"z"}],"e":{},"n":529107******0000}')).toBe(
      '{\n  "a": [\n    1.10,\n    {\n      "b": "x,{y}:\\"z"\n    }\n  ],\n  "e": {},\n  "n": 529107******0000\n}',
    );
  });

  it('keeps a 19-digit integer and an exact decimal character for character', () => {
    expect(indentJsonText('{"pan":5291071234567890123,"amount":105.10,"e":1E+2}')).toBe(
      '{\n  "pan": 5291071234567890123,\n  "amount": 105.10,\n  "e": 1E+2\n}',
    );
  });

  it('takes its indent, and drops the whitespace of already indented text', () => {
    expect(indentJsonText('{ "a" : [ 1 ,\n 2 ] }', '\t')).toBe('{\n\t"a": [\n\t\t1,\n\t\t2\n\t]\n}');
  });

  it('indents text cut short, or with a closer too many, as far as it goes instead of throwing', () => {
    expect(indentJsonText('{"a":{"b":"unterminated')).toBe('{\n  "a": {\n    "b": "unterminated');
    expect(indentJsonText(']}{"a":1}')).toBe('\n]\n}{\n  "a": 1\n}');
    expect(indentJsonText('"ends with a backslash\\')).toBe('"ends with a backslash\\');
  });
});
