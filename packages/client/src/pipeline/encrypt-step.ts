import type { PayloadCrypto } from '../encryption/payload-crypto.js';
import type { ClientLogger } from '../logging/logger.js';
import { type EncryptionWrapper, unwrapToken, wrapToken } from '../encryption/wrapper.js';
import { readErrorBody } from './error-body-step.js';
import type { Step } from './types.js';

/**
 * Encrypts the serialised body once, before the retry loop, so every attempt resends the same
 * bytes (Mastercard's SYSTEM_ERROR asks for a resubmission "with identical parameters"), and
 * decrypts wrapped response bodies by `kid` (reported to the logger as a `decrypted` event).
 * Plain response bodies (error envelopes) pass through.
 *
 * @example
 * ```ts
 * compose([serializeStep(), encryptStep(crypto, crossBorderWrapper), retryStep(), …], handler);
 * ```
 */
export function encryptStep(crypto: PayloadCrypto, wrapper: EncryptionWrapper, logger?: ClientLogger): Step {
  return (next) => async (request) => {
    let sent = request;
    if (wrapper.style === 'cross-border') {
      // Also on GET: the header makes Cross-Border encrypt the response (api-facts §2.3).
      sent = { ...sent, headers: { ...sent.headers, 'x-encrypted': 'true' } };
    }
    if (sent.body !== undefined) {
      sent = { ...sent, body: wrapToken(wrapper, await crypto.encrypt(sent.body)) };
    }
    const response = await next(sent);
    const token = unwrapToken(wrapper, response.text);
    if (token === undefined) return response;
    const { plaintext, kid } = await crypto.decrypt(token);
    // Which of our keys answered: during a rotation this shows the switch from old to new.
    logger?.({
      type: 'decrypted',
      operation: request.operation,
      method: request.method,
      url: request.url,
      attempt: 0,
      ...(kid === undefined ? {} : { kid }),
      ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
    });
    // The ciphertext bytes no longer describe the body; an encrypted error body (not seen from
    // Mastercard, but possible) is parsed again for the API error.
    const { bytes: _ciphertextBytes, ...rest } = response;
    return response.status >= 400 ? { ...rest, text: plaintext, error: readErrorBody(plaintext) } : { ...rest, text: plaintext };
  };
}
