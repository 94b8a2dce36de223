import { X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { parseCertificates } from '@mcapi/keys';
import { isMaterialSource, readMaterial } from './read-material.js';
import type { CaSource } from './types.js';

/**
 * Parses the `ca` option into PEM certificates. Parsing (rather than passing text through) makes
 * a wrong file fail at construction with a clear message instead of as an "unable to verify"
 * error on the first request.
 */
export function resolveCa(ca: CaSource): string[] {
  const items = Array.isArray(ca) ? ca : [ca];
  if (items.length === 0) throw new McapiError('ERR_INVALID_OPTION', 'ca must hold at least one certificate.');
  return items.flatMap((item: unknown, index) => {
    if (item instanceof X509Certificate) return [item.toString()];
    if (!isMaterialSource(item)) {
      throw new McapiError('ERR_INVALID_OPTION', `ca${Array.isArray(ca) ? `[${index}]` : ''} must be PEM text, bytes, { path } or an X509Certificate.`);
    }
    return parseCertificates(readMaterial(item, 'ca')).map((certificate) => certificate.toString());
  });
}
