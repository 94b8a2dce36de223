import { readFileSync } from 'node:fs';
import { McapiError } from '@mcapi/errors';
import type { MaterialSource } from './types.js';

// The transport is built synchronously (so a bad certificate fails where the transport is
// created, not on the first request), hence synchronous reads here; the parsing itself is
// @mcapi/keys' synchronous cores.

/** Reads PEM text, bytes or a file into bytes. `option` names the option in messages. */
export function readMaterial(source: MaterialSource, option: string): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (typeof source === 'string') {
    if (source.includes('-----BEGIN')) return Buffer.from(source, 'utf8');
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${option} is a string but not PEM text. Pass PEM text, bytes, or { path: '…' } for a file.`,
    );
  }
  if (typeof source === 'object' && source !== null && typeof source.path === 'string') {
    try {
      return readFileSync(source.path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'read error';
      throw new McapiError(
        'ERR_KEY_FORMAT',
        `Cannot read ${option} file ${source.path} (${code}). Check the path and its permissions.`,
        { cause },
      );
    }
  }
  throw new McapiError('ERR_INVALID_OPTION', `${option} must be PEM text, bytes or { path }.`);
}

/** True for `{ path }`, PEM text or bytes. */
export function isMaterialSource(value: unknown): value is MaterialSource {
  return (
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    (typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string')
  );
}
