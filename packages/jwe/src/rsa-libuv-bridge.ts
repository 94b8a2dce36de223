import { type KeyObject, webcrypto } from 'node:crypto';

// The RSA pool's bridge for the moments no worker thread is online (the first burst after
// start-up, or after the workers died): RSA-OAEP decryption through WebCrypto, which runs on the
// libuv thread pool, threads that already exist, so there is nothing to boot.
//
// Each slot (one job in flight) has its own copy of the key: one OpenSSL RSA key used from
// several threads serialises them (its blinding is locked), so concurrent `subtle.decrypt` jobs
// on ONE CryptoKey do not overlap (measured on Node 20 / OpenSSL 3 on this project's 2-core
// machine: 300 decryptions 86 ms in flight together vs 77 ms one after another), while on
// distinct copies they run on every core (300 in 47-55 ms with 4 copies, 60-69 ms with 2).
// Copies are made once per key and hash, from a JWK export (see keyCopies).
//
// Two slots per libuv thread (UV_THREADPOOL_SIZE, default 4; at most 8 slots): a thread that
// finishes a decryption starts the next one waiting in its queue instead of sleeping until the
// event loop hands it one (on 2 cores, 300 decryptions of a fresh process: ~67 ms with 6-8 slots,
// ~70 with 4, 75-80 with 3, 85-95 with 2). fs, dns.lookup and zlib share those threads: a file
// read waits for at most one running and one queued ~0.3 ms decryption per thread, never behind
// a whole burst (the rest of it waits in the RSA pool's own queue).
const libuvThreads = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4;

/** The number of bridge jobs that may be in flight at once. */
export const bridgeSlots = Math.max(1, Math.min(8, 2 * libuvThreads));

/** What {@link bridgeDecrypt} returns when this key cannot go through WebCrypto at all. */
export const notBridgeable: unique symbol = Symbol('notBridgeable');

// Node's OAEP hash names (what the pool's jobs carry) to WebCrypto's: exactly the four OAEP
// hashes WebCrypto defines for RSA-OAEP; anything else is not bridged.
const webCryptoHashes: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

const algorithm = { name: 'RSA-OAEP' };

// One key's copies for one hash: the import of each slot's copy, and the copy itself once
// imported (read synchronously on every job after the first: no promise hop per job).
interface Copies {
  imports: Promise<webcrypto.CryptoKey>[];
  ready: (webcrypto.CryptoKey | undefined)[];
}
const copies = new WeakMap<KeyObject, Map<string, Copies>>();
// Keys WebCrypto refused: their jobs go elsewhere, without trying again per job.
const refused = new WeakSet<KeyObject>();

/** A bridge job's outcome: the plaintext, `undefined` for any decryption failure, or {@link notBridgeable}. */
export type BridgeResult = Buffer | undefined | typeof notBridgeable;

/**
 * Decrypts one RSA-OAEP wrapped key on the libuv pool with this slot's copy of the key, and calls
 * `done` once with the plaintext, `undefined` on any decryption failure (the same as every other
 * path), or {@link notBridgeable} when WebCrypto cannot take the key or hash (the caller runs the
 * job elsewhere). A callback, not a promise: this runs once per job of a burst, on the event loop.
 */
export function bridgeDecrypt(key: KeyObject, data: Uint8Array, hash: string, slot: number, done: (result: BridgeResult) => void): void {
  const entry = keyCopies(key, hash);
  if (entry === undefined) {
    done(notBridgeable);
    return;
  }
  const index = slot % entry.ready.length;
  const ready = entry.ready[index];
  if (ready !== undefined) {
    decryptWith(ready, data, done);
    return;
  }
  entry.imports[index]!.then(
    (cryptoKey) => decryptWith(cryptoKey, data, done),
    () => {
      refused.add(key);
      done(notBridgeable);
    },
  );
}

function decryptWith(cryptoKey: webcrypto.CryptoKey, data: Uint8Array, done: (result: BridgeResult) => void): void {
  let pending: Promise<ArrayBuffer>;
  try {
    pending = webcrypto.subtle.decrypt(algorithm, cryptoKey, data);
  } catch {
    done(undefined);
    return;
  }
  pending.then(
    (plaintext) => done(Buffer.from(plaintext)),
    () => done(undefined),
  );
}

function keyCopies(key: KeyObject, hash: string): Copies | undefined {
  const webCryptoHash = webCryptoHashes[hash];
  if (webCryptoHash === undefined || refused.has(key)) return undefined;
  let byHash = copies.get(key);
  if (byHash === undefined) {
    byHash = new Map();
    copies.set(key, byHash);
  }
  let entry = byHash.get(hash);
  if (entry === undefined) {
    // All slots' copies at once, from one export. JWK, not PKCS#8: Node builds a JWK key from its
    // numbers without the ASN.1 decoder, ~0.05-0.1 ms a copy against ~0.4 ms (measured on
    // Node 20 / OpenSSL 3), and the first burst waits for these imports. The JWK is dropped as
    // soon as every import has read it (the copies themselves are opaque CryptoKeys).
    let jwk: webcrypto.JsonWebKey | undefined;
    try {
      jwk = key.export({ format: 'jwk' });
    } catch {
      refused.add(key);
      return undefined;
    }
    const made: Copies = { imports: [], ready: [] };
    for (let index = 0; index < bridgeSlots; index++) {
      const imported = webcrypto.subtle.importKey('jwk', jwk, { name: 'RSA-OAEP', hash: webCryptoHash }, false, ['decrypt']);
      made.imports.push(imported);
      made.ready.push(undefined);
      imported.then(
        (cryptoKey) => {
          made.ready[index] = cryptoKey;
        },
        () => {}, // the job waiting on it reports the refusal
      );
    }
    jwk = undefined;
    entry = made;
    byHash.set(hash, entry);
  }
  return entry;
}

/**
 * This key's WebCrypto copies for one hash, one per slot, as far as they were made (for tests
 * and diagnostics).
 */
export function bridgeKeyCopies(key: KeyObject, hash: string): Promise<webcrypto.CryptoKey[]> {
  return Promise.all(copies.get(key)?.get(hash)?.imports ?? []);
}
