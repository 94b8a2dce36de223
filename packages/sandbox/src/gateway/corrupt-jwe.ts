/**
 * Damages a compact JWE so that decryption must fail: one character of the ciphertext part is
 * changed, which breaks the GCM tag. The five-part shape stays intact, so the client's parser
 * accepts it and its decryption error path is what gets tested.
 */
export function corruptJwe(token: string): string {
  const parts = token.split('.');
  const ciphertext = parts[3];
  if (parts.length !== 5 || !ciphertext) return `${token}x`;
  const index = Math.floor(ciphertext.length / 2);
  const replacement = ciphertext[index] === 'A' ? 'B' : 'A';
  parts[3] = ciphertext.slice(0, index) + replacement + ciphertext.slice(index + 1);
  return parts.join('.');
}
