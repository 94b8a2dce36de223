import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../src/index.js';
import { certificate, privateKeyPkcs8 } from './helpers.js';

// The plain-base64url fast path of part decoding (issue #18 §4) must refuse every spelling the
// regex refused: Node's decoder drops stray ASCII and reads only the low byte of other characters.
async function codeOf(token: string): Promise<string> {
  try {
    await decrypt(token, { keys: privateKeyPkcs8 });
    return 'resolved';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

describe('security: base64url parts decoded on the fast path stay canonical', () => {
  it('a character aliasing an alphabet letter by its low byte, or stray ASCII, is ERR_JWE_MALFORMED', async () => {
    const token = await encrypt('x'.repeat(3000), { key: certificate });
    const parts = token.split('.');
    const ciphertext = parts[3]!;
    const at = 100;
    const alias = String.fromCharCode(0x100 + ciphertext.charCodeAt(at)); // same low byte
    for (const replacement of [alias, ' ', '.', '!', '\n', '=', '\u0000', '\u00d2', '\u00ff']) {
      const copy = [...parts];
      copy[3] = ciphertext.slice(0, at) + replacement + ciphertext.slice(at + 1);
      expect(await codeOf(copy.join('.')), JSON.stringify(replacement)).toBe('ERR_JWE_MALFORMED');
      copy[3] = ciphertext.slice(0, at) + replacement + ciphertext.slice(at);
      expect(await codeOf(copy.join('.')), `inserted ${JSON.stringify(replacement)}`).toBe('ERR_JWE_MALFORMED');
    }
    expect(await codeOf(token)).toBe('resolved');
  });

  it('a part held in a two-byte string (sliced out of text with other characters) still decodes, and "+" "/" "=" parts too', async () => {
    const token = await encrypt('x'.repeat(3000), { key: certificate });
    const twoByte = `\u0152${token}`.slice(1);
    expect(await codeOf(twoByte)).toBe('resolved');
    const parts = token.split('.');
    // Standard base64 with padding, as Mastercard's Java library writes it, is the same token.
    const standard = parts.map((part, index) => (index === 0 ? part : Buffer.from(part, 'base64url').toString('base64')));
    expect(standard.slice(1).some((part) => /[+/=]/.test(part))).toBe(true);
    expect(await codeOf(standard.join('.'))).toBe('resolved');
  });
});
