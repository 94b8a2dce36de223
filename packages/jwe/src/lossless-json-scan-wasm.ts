import { McapiError } from '@mcapi/errors';
import type { ExactLiteral, LiteralNeedsProtection } from './lossless-json-scan.js';
import { jsonScanWasmBase64 } from './wasm/json-scan-wasm.js';

// Layout of the module's memory (see wasm/json-scan.wat): the literals found, then the text,
// then quote bytes that stop a string or number running into the end.
const textOffset = 65536;
const padding = 32;
const QUOTE = 0x22;
// A memory grown past this for a big body is dropped after its scan rather than kept for good.
const keptMemoryBytes = 4 * 1024 * 1024;

// The little of the WebAssembly API used here (the compiler options have no DOM types).
interface WasmGlobal {
  value: number;
}
interface WasmScanner {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan: (from: number, end: number, maxDepth: number) => number;
  position: WasmGlobal;
  depth: WasmGlobal;
  count: WasmGlobal;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

// undefined: not compiled yet; null: this process cannot run it (no WebAssembly under
// `node --jitless`, or no SIMD), and the scalar scan does the work.
let compiled: object | null | undefined;
let instance: WasmScanner | undefined;

function wasmScanner(): WasmScanner | undefined {
  if (instance !== undefined) return instance;
  if (compiled === null) return undefined;
  try {
    // Compiled on first use, not at import: 712 bytes, well under a millisecond.
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) throw new Error('no WebAssembly');
    compiled ??= new api.Module(Buffer.from(jsonScanWasmBase64, 'base64'));
    const exports = new api.Instance(compiled).exports as WasmScanner;
    instance = { memory: exports.memory, scan: exports.scan, position: exports.position, depth: exports.depth, count: exports.count };
    return instance;
  } catch {
    compiled = null;
    return undefined;
  }
}

/**
 * Scans text whose every character is below U+0100 (so its Latin-1 bytes are its characters,
 * offset for offset) in WebAssembly; same result as the scalar scan. `undefined` when
 * WebAssembly is unavailable or memory cannot grow: the caller scans in JavaScript then.
 */
export function scanOneByteJson(text: string, maxDepth: number, needsProtection: LiteralNeedsProtection): ExactLiteral[] | undefined {
  const scanner = wasmScanner();
  if (scanner === undefined) return undefined;
  const end = textOffset + text.length;
  const needed = end + padding;
  const { memory } = scanner;
  if (memory.buffer.byteLength < needed) {
    try {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    } catch {
      return undefined;
    }
  }
  const bytes = Buffer.from(memory.buffer);
  bytes.write(text, textOffset, 'latin1');
  bytes.fill(QUOTE, end, needed);
  const literals: ExactLiteral[] = [];
  try {
    scanner.depth.value = 0;
    // The module compares depths as unsigned 32-bit numbers.
    const limit = Math.min(maxDepth, 0x7fffffff);
    for (let from = textOffset; ; ) {
      const status = scanner.scan(from, end, limit);
      const found = new Int32Array(memory.buffer, 0, 2 * scanner.count.value);
      for (let index = 0; index < found.length; index += 2) {
        const start = found[index]!;
        const stop = found[index + 1]!;
        if (needsProtection(text.slice(start, stop))) literals.push({ start, end: stop });
      }
      if (status === 0) return literals;
      if (status === 1) {
        const offset = scanner.position.value - textOffset;
        throw new McapiError('ERR_JSON_INVALID', `The JSON text is nested deeper than ${maxDepth} levels (offset ${offset}).`);
      }
      from = scanner.position.value; // the literal area was full: read, then go on
    }
  } finally {
    // The text may be a decrypted payload: it does not outlive the scan in this memory.
    bytes.fill(0, textOffset, needed);
    if (memory.buffer.byteLength > keptMemoryBytes) instance = undefined;
  }
}

/** The module's memory as it is now, or `undefined` when none is kept (for tests: nothing of a scanned text may remain in it). */
export function wasmScanMemoryForTests(): Uint8Array | undefined {
  return instance === undefined ? undefined : new Uint8Array(instance.memory.buffer);
}
