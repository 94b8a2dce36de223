import { KeyObject, constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';

// A minimal compact JWE (RSA-OAEP-256 + A256GCM) made with node:crypto alone, so the keyring
// test does not depend on @mcapi/jwe: enough to prove which private key opens which token.

const b64 = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');

export function encryptTo(publicKey: KeyObject, kid: string, plaintext: string): string {
  const header = b64(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid }));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [header, b64(wrapped), b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
}

/** Decrypts with the key the map holds for the token's kid; throws when there is none. */
export function decryptWith(keys: ReadonlyMap<string, unknown>, token: string): string {
  const [header, wrapped, iv, ciphertext, tag] = token.split('.') as [string, string, string, string, string];
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string };
  const key = keys.get(kid);
  if (!(key instanceof KeyObject)) throw new Error(`no decryption key in a file for kid ${kid}`);
  const cek = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(wrapped, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(header, 'ascii'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
