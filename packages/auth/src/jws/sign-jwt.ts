import type { KeyObject } from 'node:crypto';
import { type ExternalPrivateKey, type ExternalSignAlgorithm, isExternalPrivateKey } from '@mcapi/keys';
import { loadJose } from '../jose/load-jose.js';

/** A private key that signs JWTs: parsed in the process, or held by an HSM / KMS. */
export type JwtSigningKey = KeyObject | ExternalPrivateKey;

/**
 * Signs a compact JWS over JSON claims: with jose (imported on first use) for a `KeyObject`, or by
 * asking an external key to sign the JWS signing input (RFC 7515 §5.1) — its `ES256` signatures are already r ‖ s.
 */
export async function signJwt(header: Record<string, unknown> & { alg: ExternalSignAlgorithm }, claims: Record<string, unknown>, key: JwtSigningKey): Promise<string> {
  if (!isExternalPrivateKey(key)) {
    const { SignJWT } = await loadJose();
    return new SignJWT(claims).setProtectedHeader(header).sign(key);
  }
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = await key.sign(header.alg, Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64url')}`;
}

/** The key whose type and size decide the algorithm: the public half of an external key. */
export function keyForChecks(key: unknown): KeyObject | unknown {
  return isExternalPrivateKey(key) ? key.publicKey : key;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
