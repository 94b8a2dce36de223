import { McapiError } from '@mcapi/errors';
import { loadForge } from './load-forge.js';

/**
 * Default cap on one PKCS#12 key-derivation iteration count. Real files use far less (OpenSSL
 * 2048, Java keytool 10 000 or 50 000, Windows 2000 to 10 000); above it, a file from an attacker
 * would hold the thread for seconds to hours (the legacy PKCS#12 derivation runs in JavaScript:
 * about 5 µs per iteration).
 */
export const defaultPkcs12MaxIterations = 100_000;

// Budget for all derivations of one file together (MAC, every encrypted bag): ten at the cap.
const budgetFactor = 10;

interface ForgeKdfs {
  pkcs5: { pbkdf2: (...args: unknown[]) => unknown };
  pkcs12: { generateKey: (...args: unknown[]) => unknown };
  pki: { pbe: { generatePkcs12Key: (...args: unknown[]) => unknown } };
}

/**
 * Runs `parse` (synchronous forge PKCS#12 decoding) with every key derivation it makes checked
 * against `maxIterations` before it starts. forge reads the counts deep inside (MAC, PBES2,
 * legacy PBE, bags nested in encrypted contents), so its three derivation functions are wrapped
 * for the duration of the call; the call is synchronous, so no other code can see the wrappers.
 */
export function withPkcs12IterationCap<T>(maxIterations: number, parse: () => T): T {
  // forge is loaded lazily (load-forge.ts); wrapping its module object patches the functions its
  // PKCS#12 decoder calls, since they are looked up on that object at call time.
  const kdfs = loadForge() as unknown as ForgeKdfs;
  const originals = { pbkdf2: kdfs.pkcs5.pbkdf2, generateKey: kdfs.pkcs12.generateKey, generatePkcs12Key: kdfs.pki.pbe.generatePkcs12Key };
  let spent = 0;
  const check = (count: unknown) => {
    const iterations = Number(count);
    spent += iterations;
    if (!(iterations <= maxIterations) || spent > maxIterations * budgetFactor) throw new IterationCapExceeded(iterations);
  };
  kdfs.pkcs5.pbkdf2 = (password, salt, count, ...rest) => {
    check(count);
    return originals.pbkdf2(password, salt, count, ...rest);
  };
  kdfs.pkcs12.generateKey = (password, salt, id, count, ...rest) => {
    check(count);
    return originals.generateKey(password, salt, id, count, ...rest);
  };
  kdfs.pki.pbe.generatePkcs12Key = (password, salt, id, count, ...rest) => {
    check(count);
    return originals.generatePkcs12Key(password, salt, id, count, ...rest);
  };
  try {
    return parse();
  } catch (error) {
    const exceeded = findExceeded(error);
    if (exceeded === undefined) throw error;
    throw new McapiError(
      'ERR_KEY_UNSUPPORTED',
      `The PKCS#12 file asks for ${exceeded.iterations > maxIterations ? `${exceeded.iterations} key-derivation iterations` : 'more key derivations in total'} than allowed (maxIterations ${maxIterations}); it was not decoded. If you trust the file, raise options.maxIterations, or re-export it with fewer iterations (openssl pkcs12 -iter 2048).`,
    );
  } finally {
    kdfs.pkcs5.pbkdf2 = originals.pbkdf2;
    kdfs.pkcs12.generateKey = originals.generateKey;
    kdfs.pki.pbe.generatePkcs12Key = originals.generatePkcs12Key;
  }
}

class IterationCapExceeded extends Error {
  constructor(readonly iterations: number) {
    super('PKCS#12 iteration cap exceeded');
  }
}

/** forge may wrap what a derivation throws; look through `cause` chains too. */
function findExceeded(error: unknown): IterationCapExceeded | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof IterationCapExceeded) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
