import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskPan, redact, redactText } from '../src/index.js';

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
