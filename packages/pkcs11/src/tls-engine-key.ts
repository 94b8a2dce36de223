import { McapiError } from '@mcapi/errors';
import { parsePkcs11Uri, pkcs11Uri } from './pkcs11-uri.js';
import type { Pkcs11Key } from './token-key.js';

/** Debian's libengine-pkcs11-openssl (libp11), the engine the TLS options name by default. */
export const debianPkcs11Engine = '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so';

/** Options of {@link tlsEngineKeyOptions}. */
export interface TlsEngineKeyOptions {
  /** The user PIN, or `pinEnv`: the engine logs in on its own. */
  pin?: string;
  pinEnv?: string;
  /** Path (or id) of the OpenSSL engine. Default: Debian's libp11 engine. */
  engine?: string;
}

/**
 * TLS options that make Node's OpenSSL use a token-held key for mTLS, through the OpenSSL
 * engine interface (`privateKeyEngine` / `privateKeyIdentifier` of `tls.createSecureContext`):
 * spread them with `cert` into undici's `connect` or `https` options. The engine (libp11) finds
 * the vendor module through p11-kit or an `OPENSSL_CONF` engine section. The returned identifier
 * carries the PIN: keep the object out of logs.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when the key is not one `openPkcs11` returned or both or neither of `pin` / `pinEnv` are given; `ERR_PKCS11_PIN` when no PIN is set.
 *
 * @example
 * ```ts
 * const key = await hsm.key({ label: 'mtls-2026' });
 * const agent = new Agent({ connect: { cert: certificatePem, ...tlsEngineKeyOptions(key, { pinEnv: 'HSM_PIN' }) } });
 * ```
 */
export function tlsEngineKeyOptions(key: Pkcs11Key, options: TlsEngineKeyOptions): { privateKeyEngine: string; privateKeyIdentifier: string } {
  const parts = parsePkcs11Uri(key?.reference);
  if (parts?.token === undefined) throw new McapiError('ERR_INVALID_OPTION', 'tlsEngineKeyOptions needs a key from openPkcs11.');
  if ((options?.pin === undefined) === (options?.pinEnv === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Give exactly one of options.pin and options.pinEnv.');
  }
  const pin = options.pinEnv !== undefined ? process.env[options.pinEnv] : options.pin;
  if (typeof pin !== 'string' || pin === '') throw new McapiError('ERR_PKCS11_PIN', `No PIN: set ${options.pinEnv ?? 'options.pin'}.`);
  const uri = pkcs11Uri({ token: parts.token, label: key.label, id: Buffer.from(key.id, 'hex') });
  return {
    privateKeyEngine: options.engine ?? debianPkcs11Engine,
    // RFC 7512 §2.3 pin-value, percent-encoded like every attribute.
    privateKeyIdentifier: `${uri};pin-value=${[...Buffer.from(pin, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')}`,
  };
}
