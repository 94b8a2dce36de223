import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { McapiError, redact, redactText } from '../src/index.js';

// @mcapi/pkcs11's engine identifier is a pkcs11: URI with the PIN in `pin-value` (RFC 7512):
// it must not survive into an error, a cause or a logged options object.
const identifier = 'pkcs11:token=mcapi;object=signing;type=private;pin-value=%31%32%33%34%35%36';

describe('regression: HSM PINs are redacted', () => {
  it('in text, errors and objects', () => {
    expect(redactText(`engine failed for ${identifier}`)).not.toContain('%31%32%33');
    const error = new McapiError('ERR_CONNECTION', `TLS engine key ${identifier} refused`, { cause: new Error(`bad key ${identifier}`) });
    expect(`${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`).not.toContain('%31%32%33');
    expect(JSON.stringify(redact({ pin: '123456', userPin: '654321', pinEnv: 'HSM_PIN' }))).not.toMatch(/123456|654321/);
    expect(redactText('login with pin=123456 failed')).not.toContain('123456');
  });
});
