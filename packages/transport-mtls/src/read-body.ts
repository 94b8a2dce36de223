import type { Readable } from 'node:stream';
import { tooLarge } from './map-transport-error.js';

/**
 * Reads a response body into one `Uint8Array`, stopping as soon as it exceeds `limit` bytes.
 * undici enforces `maxResponseSize` on HTTP/1.1 only, so the limit is applied here too, for
 * HTTP/2 and caller-supplied dispatchers.
 */
export async function readBody(
  body: Readable,
  contentLength: string | string[] | undefined,
  limit: number,
  origin: string,
): Promise<Uint8Array> {
  const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
  if (declared > limit) {
    body.destroy();
    throw tooLarge(origin, limit);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) {
      body.destroy();
      throw tooLarge(origin, limit);
    }
    chunks.push(chunk);
  }
  // Copied into a fresh buffer: a Buffer chunk may be a view into Node's shared pool, and the
  // caller must not be able to reach other data through `body.buffer`.
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
