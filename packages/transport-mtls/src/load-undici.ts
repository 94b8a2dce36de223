import { createRequire } from 'node:module';

type Undici = typeof import('undici');

// undici is the largest thing an mcapi import would load (~75 ms, about as much as Mastercard's
// two libraries and undici together take to import), and nothing needs it before a transport
// exists: it is loaded when the first transport is created, not when the package is imported.
// Synchronously, because createMtlsTransport is synchronous; undici is CommonJS, which require()
// loads, and an application's own `import 'undici'` gets the same module instance.
let undici: Undici | undefined;

/** The undici module, loaded once on first call. */
export function loadUndici(): Undici {
  undici ??= createRequire(import.meta.url)('undici') as Undici;
  return undici;
}
