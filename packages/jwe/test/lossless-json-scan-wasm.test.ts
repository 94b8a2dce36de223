import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../src/index.js';
import { scanJson, scanJsonScalar } from '../src/lossless-json-scan.js';
import { wasmScanMemoryForTests } from '../src/lossless-json-scan-wasm.js';
import { jsonScanWasmBase64 } from '../src/wasm/json-scan-wasm.js';
import { assembleJsonScan } from '../scripts/assemble-wasm.mjs';

// The WebAssembly scan (one-byte text of 256 characters or more) must give exactly what the
// scalar scan gives: the same literals at the same offsets, the same error at the same offset.
function outcome(scan: typeof scanJson, text: string, maxDepth = 1000): string {
  try {
    return JSON.stringify(scan(text, maxDepth, () => true).literals);
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
}

// Number literals JSON.parse changes, and ones it keeps, in every shape the classifier knows.
const literal = fc.oneof(
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -999999, max: 999999 }), fc.stringMatching(/^[0-9]{1,20}$/)).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.tuple(fc.stringMatching(/^-?[0-9]{1,3}(\.[0-9]{1,4})?$/), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.nat(400)).map((parts) => parts.join('')),
  fc.constantFrom('-0', '0', '-0.0', '0.0000001', '0.000001', '1.0', '105.10', '123456789012345.6', '1234567890123456.7', '9007199254740993'),
);
// Strings with escapes (an escaped quote, an escaped backslash before a quote) and Latin-1 text.
const text = fc.stringMatching(/^([a-z0-9 {}[\]:,.+-]|\\\\|\\"|\\u00e9|é|ÿ)*$/).map((inner) => `"${inner}"`);
const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, literal, text, fc.constantFrom('true', 'false', 'null'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }).map((items) => `[${(items as string[]).join(', ')}]`),
  object: fc.array(fc.tuple(text, tie('value')), { maxLength: 6 }).map((entries) => `{${(entries as [string, string][]).map(([k, v]) => `${k}:${v}`).join(',\n ')}}`),
})).value as fc.Arbitrary<string>;
// Whitespace in front brings short documents past the WebAssembly threshold.
const padded = (body: string) => `${' '.repeat(Math.max(0, 300 - body.length))}${body}`;

describe('the WebAssembly JSON scan', () => {
  it('finds the same literals as the scalar scan in generated JSON', () => {
    fc.assert(
      fc.property(value, (body) => {
        const document = padded(body);
        expect(outcome(scanJson, document)).toBe(outcome(scanJsonScalar, document));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the scalar scan on text that is not JSON (broken strings, stray backslashes, bare bytes), and on the depth limit', () => {
    const soup = fc.stringMatching(/^([\\"{}[\]0-9.eE+\-,: a-z\u0080-\u00ff])*$/, { maxLength: 600 });
    fc.assert(
      fc.property(soup, fc.integer({ min: 1, max: 8 }), (body, maxDepth) => {
        const document = padded(body);
        expect(outcome(scanJson, document, maxDepth)).toBe(outcome(scanJsonScalar, document, maxDepth));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps every literal of a body with more than its 8,192-literal area holds', () => {
    const items = Array.from({ length: 20000 }, (_, index) => `${index}.${index % 9}0`);
    const document = `[${items.join(',')}]`;
    expect(outcome(scanJson, document)).toBe(outcome(scanJsonScalar, document));
    const parsed = parseJsonLossless(document) as { text: string }[];
    expect(parsed.map((item) => item.text)).toEqual(items);
  });

  it('refuses nesting past the limit at the same offset, and accepts it up to the limit', () => {
    const deep = `${' '.repeat(300)}${'['.repeat(1001)}${']'.repeat(1001)}`;
    expect(outcome(scanJson, deep)).toBe(outcome(scanJsonScalar, deep));
    expect(outcome(scanJson, deep)).toMatch(/^ERR_JSON_INVALID: .*deeper than 1000 levels \(offset 1300\)/);
    const limit = `${' '.repeat(300)}${'['.repeat(1000)}${']'.repeat(1000)}`;
    expect(outcome(scanJson, limit)).toBe('[]');
  });

  it('leaves nothing of a scanned text (a decrypted payload) in its memory', () => {
    const pan = '5291070000000000123';
    parseJsonLossless(`{"cardNumber":${pan},"note":"${'x'.repeat(400)}"}`);
    const memory = wasmScanMemoryForTests();
    expect(memory).toBeDefined();
    expect(Buffer.from(memory!).includes(pan)).toBe(false);
    expect(Buffer.from(memory!.subarray(65536)).some((byte) => byte !== 0)).toBe(false);
  });

  it('is not needed: without WebAssembly (node --jitless) the scalar scan gives the same values', () => {
    const script = `
      const { parseJsonLossless } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const value = parseJsonLossless('{"pan":5291070000000000123,"amount":105.10,"pad":"' + 'y'.repeat(400) + '"}');
      console.log(typeof WebAssembly, String(value.pan), value.amount.text);`;
    // dist/: turbo builds before tests (run "pnpm run build" in packages/jwe when running this file alone).
    const result = spawnSync(process.execPath, ['--jitless', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout.trim()).toBe('undefined 5291070000000000123 105.10');
  });

  it('ships exactly the bytes json-scan.wat assembles to (run `pnpm --filter @mcapi/jwe build:wasm` after editing it)', async () => {
    const assembled = Buffer.from(await assembleJsonScan());
    expect(assembled.toString('base64')).toBe(jsonScanWasmBase64);
    expect(readFileSync(fileURLToPath(new URL('../src/wasm/json-scan.wat', import.meta.url)), 'utf8')).toContain('i8x16.bitmask');
  });
});
