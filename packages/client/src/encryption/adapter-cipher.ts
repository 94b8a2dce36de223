import { createPayloadCipher, type LosslessJson, type PayloadCipher, type PayloadRule, parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import type { EncryptionCredentials } from '../config/client-options.js';

/**
 * One cipher for an adapter's lifetime (`createMastercardFetch`, `createAxiosInterceptors`):
 * `@mcapi/jwe` calls a `decryptionKeys` function for every response itself, so a keyring reload
 * after a rotation is picked up without rebuilding it.
 */
export function createAdapterCipher(encryption: EncryptionCredentials | undefined, rules: readonly PayloadRule[] | undefined): PayloadCipher | undefined {
  if (!encryption || !rules) return undefined;
  return createPayloadCipher({
    encryptionKey: encryption.encryptionKey,
    ...(encryption.kid === undefined ? {} : { kid: encryption.kid }),
    decryptionKeys: encryption.decryptionKeys,
    rules,
  });
}

/** A request as an adapter is about to send it: the exact body text, before signing. */
export interface AdapterRequest {
  url: string;
  method: string;
  /** Body text; undefined for none. */
  body: string | undefined;
  contentType: string | undefined;
}

/**
 * Encrypts a request body when a rule applies to its method and path: parsed and written
 * losslessly, so a 19-digit PAN or `105.10` elsewhere in the body reaches the server as written.
 * A body no rule touches is returned as the same text. Without a body, a rule may still add
 * headers (Cross-Border's `x-encrypted` asks for an encrypted answer to a GET).
 */
export async function encryptAdapterBody(cipher: PayloadCipher, request: AdapterRequest): Promise<{ body: string | undefined; headers: Record<string, string> }> {
  const { url, method, body } = request;
  if (body !== undefined && body !== '' && isJsonType(request.contentType)) {
    if (!cipher.applies({ url, method }, 'request')) return { body, headers: {} };
    const json = parseJsonLossless(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
    const encrypted = await cipher.encryptRequest({ url, method, body: json });
    return encrypted.encrypted ? { body: stringifyJsonLossless(encrypted.body), headers: encrypted.headers } : { body, headers: {} };
  }
  const probe = await cipher.encryptRequest({ url, method, body: {} });
  return { body, headers: probe.encrypted ? probe.headers : {} };
}

/**
 * The decrypted body of a response when a rule applies and it is encrypted; undefined when
 * nothing was decrypted (the caller keeps what it received).
 */
export async function decryptAdapterBody(
  cipher: PayloadCipher,
  response: { url: string; method: string; text: string; headers: Readonly<Record<string, string>> },
): Promise<LosslessJson | undefined> {
  const { url, method, text, headers } = response;
  if (text === '' || !isJsonType(headers['content-type']) || !cipher.applies({ url, method }, 'response')) return undefined;
  const decrypted = await cipher.decryptResponse({ url, method, body: parseJsonLossless(text), headers });
  return decrypted.decrypted ? (decrypted.body as LosslessJson) : undefined;
}

/** True for a JSON media type, or none (Mastercard APIs speak JSON). */
export function isJsonType(contentType: string | undefined): boolean {
  return contentType === undefined || /\bjson\b/i.test(contentType);
}
