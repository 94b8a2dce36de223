import { createRequire } from 'node:module';
import type Forge from 'node-forge';

// node-forge costs ~45 ms of module loading and only PKCS#12 needs it (Node's crypto reads every
// other format), so it is loaded on first use rather than when @mcapi/keys is imported. The load
// is synchronous because parsePkcs12 (and the synchronous keyring reader) are: node-forge is
// CommonJS, which require() loads.
let forge: typeof Forge | undefined;

/** The node-forge module, loaded once on first call. */
export function loadForge(): typeof Forge {
  forge ??= createRequire(import.meta.url)('node-forge') as typeof Forge;
  return forge;
}
