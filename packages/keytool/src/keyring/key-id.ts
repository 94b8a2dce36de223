import { randomBytes } from 'node:crypto';
import type { KeyEnvironment, KeyPurpose } from '@mcapi/keys';

const prefixes: Record<KeyPurpose, string> = {
  signing: 'sig',
  mtls: 'mtls',
  'request-encryption': 're',
  'response-decryption': 'rd',
};

/**
 * A new key id: readable (purpose, environment, creation day) and unique (random suffix), e.g.
 * `rd-sandbox-20261125-3f9a1c`. It is a local name only; Mastercard identifies keys by fingerprint.
 */
export function newKeyId(purpose: KeyPurpose, environment: KeyEnvironment, now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefixes[purpose]}-${environment}-${day}-${randomBytes(3).toString('hex')}`;
}
