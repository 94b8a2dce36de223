// Issue #12 items 2 and 10: no full PAN and no secret in any error property, toJSON,
// util.inspect or cause chain, and the redaction gaps (letter case of auth schemes, token-like
// names, private JWK members, grouped PANs). Each assertion failed on the code before the fix.
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { everyView } from '@mcapi/test-kit';
import { describe, expect, it } from 'vitest';
import { McapiError, redact, redactText } from '../src/index.js';

const pan = '5291070000000000123';
const masked = '529107*********0123';

describe('security: McapiError redacts structurally (issue #12 item 2)', () => {
  it('masks a PAN in the message, the cause chain, toJSON and util.inspect', () => {
    const root = new Error(`connect failed for https://api.test/cards/${pan}?pan=${pan}`);
    const middle = new TypeError(`fetch failed (${pan})`, { cause: root });
    const error = new McapiError('ERR_CONNECTION', `GET /cards/${pan} could not be sent`, { cause: middle });
    const views = everyView(error);
    expect(views).not.toContain(pan);
    expect(views).toContain(masked);
    // The copy keeps the cause's class, so callers can still branch on it.
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).cause).toBeInstanceOf(Error);
  });

  it('masks PANs and secrets in properties a subclass adds, in JSON.stringify and util.inspect', () => {
    class CardError extends McapiError {
      readonly path = `/cards/${pan}`;
      readonly headers = { authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r-1' };
      readonly body = { cardNumber: BigInt(pan), note: `card ${pan}` };
    }
    const error = new CardError('ERR_API', 'declined');
    const json = JSON.stringify(error);
    const shown = inspect(error, { depth: 10 });
    for (const view of [json, shown]) {
      expect(view).not.toContain(pan);
      expect(view).not.toContain('abc.def.ghi');
      expect(view).toContain(masked);
      expect(view).toContain('r-1');
    }
    expect(JSON.parse(json)).toMatchObject({ name: 'CardError', code: 'ERR_API', message: 'declined' });
    expect(shown).toMatch(/^CardError: declined/);
  });

  it('keeps no quote of the text a JSON parser failed on in the cause', () => {
    let cause: unknown;
    try {
      // Node quotes the start of the text: `Unexpected token 'r', "rt-very-se"... is not valid JSON`
      JSON.parse('rt-very-secret-value');
    } catch (error) {
      cause = error;
    }
    const error = new McapiError('ERR_OAUTH2_TOKEN', 'The refresh token file is not valid JSON.', { cause });
    const views = everyView(error);
    expect(views).not.toContain('rt-very-se');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('masks secrets inside a non-error cause', () => {
    const error = new McapiError('ERR_OAUTH2_TOKEN', 'refused', { cause: { access_token: 'at-123', status: 400 } });
    expect(everyView(error)).not.toContain('at-123');
    expect(JSON.stringify(error)).not.toContain('at-123');
  });
});

describe('security: redaction gaps (issue #12 item 10)', () => {
  it('redacts lowercase and uppercase bearer / dpop / basic credentials', () => {
    expect(redactText('authorization=bearer eyJhbGciOi.x.y')).not.toContain('eyJhbGciOi');
    expect(redactText('sent bearer eyJhbGciOi.x.y')).toBe('sent bearer [REDACTED]');
    expect(redactText('sent dpop eyJ0eXAiOi.a.b')).toBe('sent dpop [REDACTED]');
    expect(redactText('sent BEARER 0123456789abcdef')).toBe('sent BEARER [REDACTED]');
    expect(redactText('Authorization: bearer abc')).toBe('Authorization: [REDACTED]');
    expect(redactText('dpop: eyJ0eXAiOi.a.b')).toBe('dpop: [REDACTED]');
    // prose stays readable
    expect(redactText('basic authentication is not supported')).toBe('basic authentication is not supported');
  });

  it('redacts token, access_token, refresh_token, code_verifier, client_secret and apiKey members', () => {
    const out = redact({
      token: 't-1',
      access_token: 'at-1',
      refresh_token: 'rt-1',
      code_verifier: 'cv-1',
      client_secret: 'cs-1',
      apiKey: 'ak-1',
      token_type: 'DPoP',
      expires_in: 900,
    });
    expect(out).toEqual({
      token: '[REDACTED]',
      access_token: '[REDACTED]',
      refresh_token: '[REDACTED]',
      code_verifier: '[REDACTED]',
      client_secret: '[REDACTED]',
      apiKey: '[REDACTED]',
      token_type: 'DPoP',
      expires_in: 900,
    });
  });

  it('redacts the same names in text: form bodies, query strings, JSON and inspect output', () => {
    const form = 'grant_type=refresh_token&refresh_token=rt-1&client_secret=cs-1&code_verifier=cv-1&token=t-1&apiKey=ak-1';
    expect(redactText(form)).toBe(
      'grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]&code_verifier=[REDACTED]&token=[REDACTED]&apiKey=[REDACTED]',
    );
    const json = '{"access_token":"at-1","token_type":"DPoP","refresh_token":"rt-1","expires_in":900}';
    expect(redactText(json)).toBe('{"access_token":"[REDACTED]","token_type":"DPoP","refresh_token":"[REDACTED]","expires_in":900}');
    expect(redactText("{ token: 't-1', apiKey: 'ak-1' }")).toBe("{ token: '[REDACTED]', apiKey: '[REDACTED]' }");
  });

  it("redacts a private JWK's d, p, q, dp, dq and qi, as an object and as JSON text", () => {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const out = redact({ key: 'x', jwk }) as { jwk: Record<string, string> };
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(out.jwk[member]).toBe('[REDACTED]');
    expect(out.jwk.n).toBe(jwk.n);
    expect(out.jwk.kty).toBe('RSA');
    const text = redactText(`jwk ${JSON.stringify(jwk)}`);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(text).not.toContain(jwk[member as keyof typeof jwk] as string);
    expect(text).toContain(jwk.n as string);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    expect(inspect(redact(ec))).not.toContain(ec.d as string);
  });

  it('masks PANs written with spaces or dashes, keeping first 6 / last 4 and the grouping', () => {
    expect(redactText('card 5291 0700 0000 0898 declined')).toBe('card 5291 07** **** 0898 declined');
    expect(redactText('card 5291-0700-0000-0000-123')).toBe('card 5291-07**-****-***0-123');
    expect(redactText('amex 3714 496353 98431')).toBe('amex 3714 49**** *8431');
    expect(redact({ pan: '5291 0700 0000 0898' })).toEqual({ pan: '5291 07** **** 0898' });
    expect(redactText('/cards/5291%200700%200000%200898')).toBe('/cards/5291%2007**%20****%200898');
    expect(redactText('on 2026-12-04 5291 0700 0000 0898')).toBe('on 2026-12-04 5291 07** **** 0898');
  });

  it('masks Luhn-valid 13–14 digit runs but leaves timestamps, amounts, dates and long ids readable', () => {
    // 13-digit Visa test number (Luhn-valid) and a 14-digit Diners test number
    expect(redactText('card 4222222222222 ok')).toBe('card 422222***2222 ok');
    expect(redactText('card 30569309025904 ok')).toBe('card 305693****5904 ok');
    // a millisecond timestamp, an amount, a date and time, a 20-digit id, a 13-digit Luhn-invalid id
    const ordinary = 'at 1732540000000 amount 105.10 on 2026-12-04 12:00:00 id 12345678901234567890 ref 4222222222223';
    expect(redactText(ordinary)).toBe(ordinary);
    expect(redact({ createdAt: 1732540000000, amount: 105.1 })).toEqual({ createdAt: 1732540000000, amount: 105.1 });
  });
});
