import { McapiError } from '@mcapi/errors';

// Containers and secret managers hand keys over as environment variables, in whatever shape
// the value survived: PEM with its line breaks written as the two characters `\n` (a YAML or
// .env file), base64 of the PEM, or base64 of DER / PKCS#12 bytes (binary cannot live in a
// variable). All three are read here, so no deployment has to write key files.

const base64Text = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The bytes of key or certificate material held in environment variable `name`: PEM text (with
 * real or escaped `\n` line breaks), or base64 (standard or url-safe) of PEM, DER or PKCS#12.
 * The value never appears in an error; the variable's name does.
 *
 * @example
 * ```ts
 * // MC_SIGNING_P12=$(base64 -w0 signing.p12)
 * const bytes = readEnvironmentMaterial('MC_SIGNING_P12', 'PKCS#12');
 * ```
 */
export function readEnvironmentMaterial(name: string, what: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const value = readVariable(name, `the ${what}`, env).trim();
  if (value.includes('-----BEGIN')) return new TextEncoder().encode(unescapeLineBreaks(value));
  const compact = value.replace(/\s+/g, '');
  if (!base64Text.test(compact)) {
    throw new McapiError(
      'ERR_KEY_FORMAT',
      `Environment variable ${name} (the ${what}) holds neither PEM text nor base64. Put the PEM itself in it, or base64 of the PEM, DER or PKCS#12 file (base64 -w0 FILE).`,
    );
  }
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  const decodedPem = bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN');
  return decodedPem ? new TextEncoder().encode(unescapeLineBreaks(bytes.toString('utf8'))) : new Uint8Array(bytes);
}

/**
 * A passphrase held in environment variable `name`, so it never has to be on a command line or
 * in a config file. Unset or empty is an error naming the variable.
 *
 * @example
 * ```ts
 * const passphrase = readEnvironmentPassphrase('MC_P12_PASS', 'PKCS#12 password');
 * ```
 */
export function readEnvironmentPassphrase(name: string, what: string, env: NodeJS.ProcessEnv = process.env): string {
  return readVariable(name, `the ${what}`, env);
}

function readVariable(name: string, what: string, env: NodeJS.ProcessEnv): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // Not echoed: a secret pasted where a variable name belongs must not reach a log.
    throw new McapiError('ERR_INVALID_OPTION', `The environment variable name for ${what} is not a variable name (letters, digits, _).`);
  }
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new McapiError('ERR_KEY_FORMAT', `Environment variable ${name} (${what}) is not set or empty.`);
  }
  return value;
}

// `\r\n` and `\n` written out as text become real line breaks; PEM bodies never contain a
// backslash, so nothing else can be affected.
function unescapeLineBreaks(pem: string): string {
  return pem.replace(/\\r\\n|\\n/g, '\n');
}
