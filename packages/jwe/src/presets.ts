import type { PayloadRule } from './payload-cipher.js';

type Preset = Readonly<Required<Pick<PayloadRule, 'request' | 'response' | 'requestHeaders'>>>;

/**
 * Ready-made request/response mappings; spread one into a rule next to its `method` and `path`.
 * - `encryptedData`: Mastercard's usual whole body as `{"encryptedData":"<jwe>"}` both ways.
 * - `crossBorder`: Cross-Border's `{"encrypted_payload":{"data":"<jwe>"}}` with the request
 *   header `x-encrypted: true`; responses come back in the same wrapper.
 *
 * @example
 * ```ts
 * createPayloadCipher({ encryptionKey, decryptionKeys, rules: [{ path: /\/crossborder\//, ...payloadPresets.crossBorder }] });
 * ```
 */
export const payloadPresets: Readonly<{ encryptedData: Preset; crossBorder: Preset }> = Object.freeze({
  encryptedData: Object.freeze({
    request: Object.freeze([Object.freeze({ path: '$', field: 'encryptedData' })]),
    response: Object.freeze([Object.freeze({ path: '$', field: 'encryptedData' })]),
    requestHeaders: Object.freeze({}),
  }),
  crossBorder: Object.freeze({
    request: Object.freeze([Object.freeze({ path: '$', into: '$.encrypted_payload', field: 'data' })]),
    response: Object.freeze([Object.freeze({ path: '$.encrypted_payload', into: '$', field: 'data' })]),
    requestHeaders: Object.freeze({ 'x-encrypted': 'true' }),
  }),
});
