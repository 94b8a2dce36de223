import { isMcapiError } from '@mcapi/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ContentEncryption, decrypt, encrypt, keyIdsFor } from '../src/index.js';
import { certificate, jweVectors, privateKeyPkcs8 } from './helpers.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Every kid convention of the test key, so the certificate-named Mastercard vectors select it too.
const options = { keys: keyIdsFor([{ privateKey: privateKeyPkcs8, certificate }]) };
// Two spellings are the same token when they differ only by alphabet aliases or padding.
const normalise = (token: string) => token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');

type Outcome = { kind: 'plaintext'; text: string } | { kind: 'typed'; code: string } | { kind: 'crash'; error: unknown };
async function attempt(token: string): Promise<Outcome> {
  try {
    const { plaintext } = await decrypt(token, options);
    return { kind: 'plaintext', text: Buffer.from(plaintext).toString('utf8') };
  } catch (error) {
    return isMcapiError(error) ? { kind: 'typed', code: error.code } : { kind: 'crash', error };
  }
}

const slashVector = jweVectors.vectors.find((v) => v.nonStandardAlphabet && v.expect === 'decrypts')!;
const cbcVector = jweVectors.vectors.find((v) => v.header.enc === 'A128CBC-HS256')!;

describe('tampering any character of any part never yields plaintext', () => {
  const cases: [string, () => Promise<string>][] = [
    ['our A256GCM token', () => encrypt('{"pan":"5123456789012345"}', { key: certificate })],
    ['our A128CBC-HS256 token', () => encrypt('{"pan":"5123456789012345"}', { key: certificate, enc: 'A128CBC-HS256' })],
    ['a Mastercard Node token with "/" (16-byte IV)', async () => slashVector.token],
    ['the Java A128CBC-HS256 vector', async () => cbcVector.token],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const token = await make();
      expect((await attempt(token)).kind).toBe('plaintext');
      let checked = 0;
      for (let i = 0; i < token.length; i++) {
        if (token[i] === '.') continue;
        const current = token[i]!;
        // Two different replacements per position, never an alias of the current character.
        const index = alphabet.indexOf(current === '+' ? '-' : current === '/' ? '_' : current);
        for (const step of [1, 17]) {
          const replacement = alphabet[(index + step) % alphabet.length]!;
          const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
          const outcome = await attempt(tampered);
          if (outcome.kind !== 'typed') throw new Error(`position ${i} (${current}→${replacement}) gave ${outcome.kind}`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(800);
    });
  }

  it('flipping any bit of the decoded bytes of any part is rejected', async () => {
    const token = await encrypt('{"a":1}', { key: certificate });
    const parts = token.split('.');
    for (let part = 0; part < 5; part++) {
      const bytes = Buffer.from(parts[part]!, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const flipped = Buffer.from(bytes);
        flipped[i]! ^= 1 << i % 8;
        const copy = [...parts];
        copy[part] = flipped.toString('base64url');
        const outcome = await attempt(copy.join('.'));
        expect(outcome.kind, `part ${part} byte ${i}`).toBe('typed');
      }
    }
  });

  it('truncating or extending any part is rejected', async () => {
    const token = await encrypt('{"a":1}', { key: certificate });
    const parts = token.split('.');
    for (let part = 0; part < 5; part++) {
      for (const variant of [parts[part]!.slice(0, -1), parts[part]!.slice(0, -4), `${parts[part]}AAAA`, `${parts[part]}A`]) {
        const copy = [...parts];
        copy[part] = variant;
        expect((await attempt(copy.join('.'))).kind, `part ${part} → ${variant.length} chars`).toBe('typed');
      }
    }
  });
});

describe('property: random payloads and mutations', () => {
  const encs: ContentEncryption[] = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256'];

  it('random payloads round-trip for every enc and IV length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...encs), fc.constantFrom(12 as const, 16 as const), async (bytes, enc, ivLength) => {
        const token = await encrypt(bytes, { key: certificate, enc, ivLength });
        const { plaintext } = await decrypt(token, options);
        expect(Buffer.from(plaintext).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('mutated tokens give only typed errors, or the same plaintext for an alias spelling', async () => {
    const original = '{"secret":"mutation target"}';
    const tokens = await Promise.all(encs.map((enc) => encrypt(original, { key: certificate, enc })));
    const mutation = fc.record({
      token: fc.constantFrom(...tokens, slashVector.token),
      position: fc.nat(),
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      char: fc.constantFrom(...`${alphabet}+/=. ~\u00e9\u0000`),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let token = mutations[0]!.token;
        const source = token;
        for (const { position, kind, char } of mutations) {
          const at = position % (token.length + 1);
          if (kind === 'replace') token = token.slice(0, at) + char + token.slice(at + 1);
          else if (kind === 'insert') token = token.slice(0, at) + char + token.slice(at);
          else token = token.slice(0, at) + token.slice(at + 1);
        }
        const outcome = await attempt(token);
        if (outcome.kind === 'crash') throw outcome.error;
        if (outcome.kind === 'plaintext') {
          // Only a spelling of the very same token (alias characters, padding) may decrypt.
          expect(normalise(token)).toBe(normalise(source));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary strings and dotted garbage give only typed errors', async () => {
    const part = fc.string({ unit: fc.constantFrom(...`${alphabet}+/=`), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.array(part, { minLength: 1, maxLength: 7 }).map((p) => p.join('.'))), async (token) => {
        const outcome = await attempt(token);
        expect(outcome.kind).toBe('typed');
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary protected headers give only typed errors', async () => {
    const good = (await encrypt('x', { key: certificate })).split('.').slice(1).join('.');
    const header = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          alg: fc.oneof(fc.constantFrom('RSA-OAEP-256', 'none', 'dir', 'RSA1_5'), fc.jsonValue()),
          enc: fc.oneof(fc.constantFrom('A256GCM', 'A128CBC-HS256', 'XC20P'), fc.jsonValue()),
          kid: fc.oneof(fc.string(), fc.jsonValue()),
          zip: fc.constantFrom('DEF', 'GZ'),
          crit: fc.array(fc.string()),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        const token = `${Buffer.from(JSON.stringify(value) ?? '').toString('base64url')}.${good}`;
        const outcome = await attempt(token);
        expect(outcome.kind).toBe('typed');
      }),
      { numRuns: 300 },
    );
  });
});
