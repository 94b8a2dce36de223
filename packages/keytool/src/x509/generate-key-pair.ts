import { type KeyObject, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { McapiError } from '@mcapi/errors';

const generate = promisify(generateKeyPair);

/** RSA sizes accepted for new keys (Mastercard takes 2048 and up). */
export const rsaKeySizes = [2048, 3072, 4096] as const;
export type RsaKeySize = (typeof rsaKeySizes)[number];

/**
 * Generates an RSA key pair with Node's native (OpenSSL) generator, off the main thread. Never
 * forge's JavaScript generator: it is orders of magnitude slower and blocks the event loop.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` for a size other than 2048, 3072 or 4096.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await generateRsaKeyPair(2048);
 * ```
 */
export async function generateRsaKeyPair(keySize: number = 2048): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  if (!(rsaKeySizes as readonly number[]).includes(keySize)) {
    throw new McapiError('ERR_INVALID_OPTION', `keySize must be one of ${rsaKeySizes.join(', ')} (got ${String(keySize)}).`);
  }
  return generate('rsa', { modulusLength: keySize, publicExponent: 0x10001 });
}
