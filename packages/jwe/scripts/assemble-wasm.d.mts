/** Assembles src/wasm/json-scan.wat into WebAssembly bytes (with wabt). */
export function assembleJsonScan(): Promise<Uint8Array>;
