import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskPan, redact, redactText } from '../src/index.js';
import { redactEveryShape } from '../src/redact.js';

describe('maskPan', () => {
  it('keeps the first six and last four digits', () => {
    expect(maskPan('5291070000000898')).toBe('529107******0898');
    expect(maskPan(5291070000000000n)).toBe('529107******0000');
    expect(maskPan('5291070000000000123')).toBe('529107*********0123');
  });
  it('never echoes something that is not a PAN', () => {
    expect(maskPan('secret')).toBe('[REDACTED]');
  });
});

describe('redactText', () => {
  it('masks PANs inside text but leaves timestamps and short numbers', () => {
    expect(redactText('card 5291070000000898 at 1732540000000, code 50')).toBe(
      'card 529107******0898 at 1732540000000, code 50',
    );
  });
  it('removes Authorization values of every scheme', () => {
    const header = 'OAuth oauth_consumer_key="abc!def",oauth_signature="c2ln"';
    expect(redactText(`sent ${header}`)).not.toContain('c2ln');
    expect(redactText('Bearer eyJhbGciOi.x.y')).toBe('Bearer [REDACTED]');
    expect(redactText('DPoP abc.def')).toBe('DPoP [REDACTED]');
  });
  it('removes private-key PEM blocks', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const out = redactText(`key: ${pem}`);
    expect(out).not.toContain(pem.split('\n')[1]);
    expect(out).toContain('[REDACTED]');
  });
});

describe('redactText fast path', () => {
  // Strings with nothing a rule could match are returned as they are, without running the rules.
  // The fast path must never skip what a rule would have changed: compared on pieces that build
  // every shape the rules know (and near misses), joined at random with a seeded generator.
  const pieces = [
    'a', 'Z', ' ', '\n', '\t', '"', "'", ':', '=', ': ', '&', '-', '_', '.', '/', '%20', '0', '1', '4', '9', '12', '5291',
    '0700', '5291070000000000', '5291 0700 0000 0898', '5291-0700-0000-0898', '4111111111111', 'OAuth ', 'oauth', 'Bearer ',
    'bearer', 'DPoP ', 'dpop', 'Basic ', 'basic', 'authorization', 'cookie', 'x-api-key', 'token', 'access_token', 'secret',
    'client_secret', 'password', 'passphrase', 'key', 'api_key', 'private_key', 'assertion', 'pin', 'pin-value', 'd', 'qi',
    'kty', '-----BEGIN ', 'PRIVATE KEY-----', '-----END PRIVATE KEY-----', 'abcdefghijklmnopqrstuvwxyz012345', '{', '}', ',',
  ];
  it('gives what every rule gives, for 20,000 generated strings', () => {
    let seed = 0x2f6b1d;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    let skipped = 0;
    for (let round = 0; round < 20_000; round += 1) {
      let text = '';
      for (let count = 1 + next(12); count > 0; count -= 1) text += pieces[next(pieces.length)];
      const all = redactEveryShape(text);
      expect(redactText(text), JSON.stringify(text)).toBe(all);
      if (all === text) skipped += 1;
    }
    // Both kinds were exercised: strings the rules change and strings they leave alone.
    expect(skipped).toBeGreaterThan(1_000);
    expect(skipped).toBeLessThan(19_000);
  });

  it('leaves ordinary log words alone and still redacts each shape', () => {
    for (const word of ['POST', 'mtls', 'request payload decrypted', '/loyalty/benefits/card-segments', 'encrypted']) expect(redactText(word)).toBe(word);
    expect(redactText('Bearer abc.def')).toBe('Bearer [REDACTED]');
    expect(redactText('x dpop abc1')).toBe('x dpop [REDACTED]');
    expect(redactText('pin=1234')).toBe('pin=[REDACTED]');
    expect(redactText('card 5291070000000000')).toBe('card 529107******0000');
  });
});

describe('redact', () => {
  it('redacts secret headers, secret-named keys, PAN numbers and key objects', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = {
      headers: { Authorization: 'OAuth x', 'content-type': 'application/json', DPoP: 'proof' },
      body: { cardNumber: 5291070000000000, date: '2023-08-08', items: [{ pan: '5291070000000898' }] },
      passphrase: 'hunter2',
      signingKey: privateKey,
      bytes: new Uint8Array(3),
    };
    const out = redact(input);
    expect(out.headers.Authorization).toBe('[REDACTED]');
    expect(out.headers.DPoP).toBe('[REDACTED]');
    expect(out.headers['content-type']).toBe('application/json');
    expect(out.body.cardNumber).toBe('529107******0000');
    expect(out.body.items[0]?.pan).toBe('529107******0898');
    expect(out.passphrase).toBe('[REDACTED]');
    expect(out.signingKey).toBe('[REDACTED]');
    expect(out.bytes).toBe('[3 bytes]');
    // the input is untouched
    expect(input.headers.Authorization).toBe('OAuth x');
  });
  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[Circular]' });
  });
});
