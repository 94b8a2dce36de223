import type { Readable } from 'node:stream';
import { tooLarge } from './map-transport-error.js';

/**
 * Reads a response body into one `Uint8Array`, stopping as soon as it exceeds `limit` bytes.
 * undici enforces `maxResponseSize` on HTTP/1.1 only, so the limit is applied here too, for
 * HTTP/2 and caller-supplied dispatchers. Plain 'data' listeners rather than `for await`: the
 * async iterator costs a measurable share of a small request.
 */
export function readBody(body: Readable, contentLength: string | string[] | undefined, limit: number, origin: string): Promise<Uint8Array> {
  const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
  if (declared > limit) {
    body.destroy();
    return Promise.reject(tooLarge(origin, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    body.on('data', (chunk: Uint8Array) => {
      total += chunk.byteLength;
      if (total > limit) {
        body.destroy();
        reject(tooLarge(origin, limit));
        return;
      }
      chunks.push(chunk);
    });
    body.once('error', reject);
    body.once('end', () => resolve(concat(chunks, total)));
  });
}

// Copied into a fresh buffer: a Buffer chunk may be a view into Node's shared pool, and the
// caller must not be able to reach other data through `body.buffer`.
function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
