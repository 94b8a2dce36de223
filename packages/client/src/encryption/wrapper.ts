/**
 * Where the JWE travels in the body.
 * - `field`: `{"<requestField>":"<jwe>"}` (Mastercard's usual whole-body form; BAS does not
 *   document the name, `encryptedData` is the library default, so both names are options, and
 *   requests and responses may differ).
 * - `cross-border`: `{"encrypted_payload":{"data":"<jwe>"}}` plus the request header
 *   `x-encrypted: true` (api-facts §2.3).
 */
export type EncryptionWrapper =
  | { style: 'field'; requestField: string; responseField: string }
  | { style: 'cross-border' };

/** BAS default: `{"encryptedData":"<jwe>"}` both ways. */
export const encryptedDataWrapper: EncryptionWrapper = { style: 'field', requestField: 'encryptedData', responseField: 'encryptedData' };
/** Cross-Border wrapper. */
export const crossBorderWrapper: EncryptionWrapper = { style: 'cross-border' };

/**
 * The wrapped body text for a token.
 *
 * @example
 * ```ts
 * wrapToken(crossBorderWrapper, jwe); // '{"encrypted_payload":{"data":"<jwe>"}}'
 * ```
 */
export function wrapToken(wrapper: EncryptionWrapper, token: string): string {
  return wrapper.style === 'cross-border'
    ? JSON.stringify({ encrypted_payload: { data: token } })
    : JSON.stringify({ [wrapper.requestField]: token });
}

/**
 * The token in a response body, or undefined when the body is not wrapped (Cross-Border error
 * bodies are plain). Only the top level is looked at: a wrapper is the whole body.
 *
 * @example
 * ```ts
 * unwrapToken(encryptedDataWrapper, '{"encryptedData":"eyJ…"}'); // 'eyJ…'
 * ```
 */
export function unwrapToken(wrapper: EncryptionWrapper, text: string): string | undefined {
  const name = wrapper.style === 'cross-border' ? 'encrypted_payload' : wrapper.responseField;
  // Cheap check first: most plain bodies never reach JSON.parse here.
  if (!text.includes(`"${name}"`)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const member = (value as Record<string, unknown>)[name];
  if (wrapper.style === 'cross-border') {
    const data = typeof member === 'object' && member !== null ? (member as Record<string, unknown>).data : undefined;
    return typeof data === 'string' ? data : undefined;
  }
  return typeof member === 'string' ? member : undefined;
}
