import { describe, expect, it } from 'vitest';
import { McapiError, maskPansInText } from '../src/index.js';

// A SHA-256 fingerprint (a JWE kid) can hold a run of 15+ digits by chance; masking it made
// "Known kids: …" unusable. Such runs inside long letters-and-digits tokens are identifiers.
const kid = '7f9c28cad5aada619185860076378431e4436c5000dd9053a0f211ce03e9ddbe';

describe('regression: fingerprints are not card numbers', () => {
  it('keeps a kid with a long digit run whole, in text and in an McapiError message', () => {
    expect(maskPansInText(`Known kids: ${kid}.`)).toBe(`Known kids: ${kid}.`);
    expect(new McapiError('ERR_JWE_UNKNOWN_KID', `Known kids: ${kid}.`).message).toContain(kid);
  });

  it('still masks a PAN glued to a short word, in a path, or next to a fingerprint', () => {
    expect(maskPansInText('card5291070000000000123')).toBe('card529107*********0123');
    expect(maskPansInText(`/cards/5291070000000000123?kid=${kid}`)).toBe(`/cards/529107*********0123?kid=${kid}`);
  });
});
