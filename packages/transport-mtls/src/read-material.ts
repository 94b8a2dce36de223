import { type WarningHandler, readSourceSync, warnIfKeyFileExposedSync } from '@mcapi/keys';
import type { MaterialSource } from './types.js';

// The transport is built synchronously (so a bad certificate fails where the transport is
// created, not on the first request), hence @mcapi/keys' synchronous reader and parsers.

/**
 * Reads PEM text, bytes, a file or an environment variable into bytes. `option` names the option in messages. With
 * `onWarning`, the material is a private key: a key file readable by other users is reported.
 */
export function readMaterial(source: MaterialSource, option: string, onWarning?: WarningHandler): Uint8Array {
  const { bytes, path } = readSourceSync(source, option);
  if (path !== undefined && onWarning !== undefined) warnIfKeyFileExposedSync(path, onWarning);
  return bytes;
}

/** True for `{ path }`, `{ env }`, PEM text or bytes. */
export function isMaterialSource(value: unknown): value is MaterialSource {
  return (
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    (typeof value === 'object' &&
      value !== null &&
      (typeof (value as { path?: unknown }).path === 'string' || typeof (value as { env?: unknown }).env === 'string'))
  );
}
