// The one way json-scan.wat becomes bytes, shared by the build script and the test that checks
// the committed bytes against the source.
import { readFileSync } from 'node:fs';
import initWabt from 'wabt';

export async function assembleJsonScan() {
  const source = readFileSync(new URL('../src/wasm/json-scan.wat', import.meta.url), 'utf8');
  const wabt = await initWabt();
  const module = wabt.parseWat('json-scan.wat', source, { simd: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
