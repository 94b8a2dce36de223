import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCertificate, loadPkcs12, loadPrivateKey, publicKeyFingerprint, readSourceSync } from '../src/index.js';
import { vector } from './helpers.js';

// Keys handed over the way containers and secret managers do it: in environment variables.
const jweKid = '761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79';
const oauthKid = 'b5145543a3caa95916304b289c562c195b149047b9e1b430e91178b1021c484d';
const names: string[] = [];

function setVariable(name: string, value: string): { env: string } {
  process.env[name] = value;
  names.push(name);
  return { env: name };
}

afterEach(() => {
  for (const name of names.splice(0)) delete process.env[name];
});

describe('key material from environment variables', () => {
  const pem = readFileSync(vector('test_key.pkcs8.pem'), 'utf8');

  it('reads PEM with real line breaks and with literal \\n escapes (.env / YAML style)', async () => {
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_PEM', pem)))).toBe(jweKid);
    const escaped = pem.trim().replace(/\n/g, '\\n');
    expect(escaped).not.toContain('\n');
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_ESCAPED', escaped)))).toBe(jweKid);
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_CRLF', pem.trim().replace(/\n/g, '\\r\\n'))))).toBe(jweKid);
  });

  it('reads base64 of a PEM, of DER (standard or url-safe, wrapped or not), and of a certificate', async () => {
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_B64PEM', Buffer.from(pem).toString('base64'))))).toBe(jweKid);
    const der = (await loadPrivateKey(pem)).export({ format: 'der', type: 'pkcs8' });
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_B64DER', der.toString('base64'))))).toBe(jweKid);
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_B64URL', der.toString('base64url'))))).toBe(jweKid);
    const wrapped = der.toString('base64').replace(/.{64}/g, '$&\n');
    expect(publicKeyFingerprint(await loadPrivateKey(setVariable('MCAPI_T_KEY_WRAPPED', wrapped)))).toBe(jweKid);
    const certificate = readFileSync(vector('test_certificate.der')).toString('base64');
    expect(publicKeyFingerprint(await loadCertificate(setVariable('MCAPI_T_CERT', certificate)))).toBe(jweKid);
  });

  it('reads base64 of a (legacy RC2) PKCS#12 with its password from another variable', async () => {
    const p12 = setVariable('MCAPI_T_P12', readFileSync(vector('test_key_container.p12')).toString('base64'));
    setVariable('MCAPI_T_P12_PASS', 'Password1');
    const contents = await loadPkcs12(p12, { passphraseEnv: 'MCAPI_T_P12_PASS', alias: 'mykeyalias' });
    expect(publicKeyFingerprint(contents.certificate)).toBe(oauthKid);
    expect(publicKeyFingerprint(await loadPrivateKey(p12, { passphraseEnv: 'MCAPI_T_P12_PASS' }))).toBe(oauthKid);
    // Synchronous readers (the mTLS transport) take the same source.
    expect(readSourceSync(p12, 'credentials.pkcs12').bytes).toEqual(new Uint8Array(readFileSync(vector('test_key_container.p12'))));
  });

  it('fails with errors that name the variable and never show its value', async () => {
    const secret = 'hunter2-not-a-key-at-all!';
    const garbage = setVariable('MCAPI_T_GARBAGE', secret);
    const attempts = [
      loadPrivateKey({ env: 'MCAPI_T_UNSET' }),
      loadPrivateKey(garbage),
      loadPrivateKey({ env: secret }),
      loadPkcs12(setVariable('MCAPI_T_P12_2', readFileSync(vector('test_key_container.p12')).toString('base64')), { passphraseEnv: 'MCAPI_T_NO_PASS' }),
      loadPrivateKey(pem, { passphrase: 'x', passphraseEnv: 'MCAPI_T_GARBAGE' }),
    ];
    const errors = await Promise.all(attempts.map((attempt) => attempt.then(() => undefined, (error: unknown) => error as Error & { code: string })));
    expect(errors.map((error) => error?.code)).toEqual(['ERR_KEY_FORMAT', 'ERR_KEY_FORMAT', 'ERR_INVALID_OPTION', 'ERR_KEY_FORMAT', 'ERR_INVALID_OPTION']);
    expect(errors[0]?.message).toMatch(/MCAPI_T_UNSET .*not set/);
    expect(errors[1]?.message).toMatch(/MCAPI_T_GARBAGE .*neither PEM text nor base64/);
    expect(errors[3]?.message).toMatch(/MCAPI_T_NO_PASS/);
    for (const error of errors) expect(`${error?.message} ${inspect(error)} ${JSON.stringify(error)}`).not.toContain('hunter2');
  });
});
