/**
 * Every error code an mcapi package can throw. Codes are stable: match on `error.code`, never on
 * the message. Each package adds its codes here so the union stays the one documented list.
 * Code that compares or lists codes types them as {@link McapiErrorCode} (or uses
 * `isMcapiError(error, code)`), so a code that does not exist fails to compile; a test checks that
 * every code listed here is thrown somewhere.
 */
export const errorCodes = [
  // options and configuration
  'ERR_INVALID_OPTION',
  // @mcapi/keys
  'ERR_KEY_FORMAT',
  'ERR_KEY_PASSPHRASE',
  'ERR_KEY_ALIAS',
  'ERR_KEY_MISMATCH',
  'ERR_KEY_UNSUPPORTED',
  'ERR_CERTIFICATE_NOT_YET_VALID',
  'ERR_CERTIFICATE_EXPIRED',
  'ERR_KEYRING_INVALID',
  'ERR_KEYRING_NOT_FOUND',
  'ERR_KEYRING_LOCKED',
  'ERR_KEYRING_ENTRY',
  'ERR_FILE_EXISTS',
  // @mcapi/jwe
  'ERR_JWE_MALFORMED',
  'ERR_JWE_UNSUPPORTED',
  'ERR_JWE_TOO_LARGE',
  'ERR_JWE_UNKNOWN_KID',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JWE_ENCRYPTION_FAILED',
  'ERR_PAYLOAD_PATH',
  'ERR_JSON_INVALID',
  'ERR_FLE_MALFORMED',
  'ERR_FLE_DECRYPTION_FAILED',
  // @mcapi/auth
  'ERR_OAUTH_INVALID_URL',
  'ERR_OAUTH_SIGNING_FAILED',
  'ERR_OAUTH2_TOKEN',
  'ERR_OAUTH2_LOGIN_REQUIRED',
  'ERR_REPLAY_STORE_FULL',
  // shared state stores (@mcapi/auth): Redis unreachable, a refresh lock lost or never granted
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_LOCK_LOST',
  'ERR_STORE_LOCK_TIMEOUT',
  // @mcapi/pkcs11
  'ERR_PKCS11_MODULE',
  'ERR_PKCS11_TOKEN_NOT_PRESENT',
  'ERR_PKCS11_PIN',
  'ERR_PKCS11_KEY_NOT_FOUND',
  'ERR_PKCS11_OPERATION',
  // @mcapi/transport-mtls
  'ERR_MTLS_HANDSHAKE_REJECTED',
  'ERR_TLS_SERVER_UNTRUSTED',
  'ERR_TLS_HOSTNAME_MISMATCH',
  'ERR_CONNECT_TIMEOUT',
  'ERR_HEADERS_TIMEOUT',
  'ERR_BODY_TIMEOUT',
  'ERR_RESPONSE_TOO_LARGE',
  'ERR_CONNECTION',
  'ERR_PROXY',
  'ERR_ABORTED',
  // @mcapi/client
  'ERR_API',
  'ERR_RESPONSE_INVALID',
  'ERR_WEBHOOK_REJECTED',
  'ERR_WEBHOOK_DELIVERY',
  // @mcapi/keytool
  'ERR_CLI_USAGE',
  'ERR_CSR_INVALID',
  'ERR_CERTIFICATE_NO_MATCH',
  // @mcapi/sandbox
  'ERR_SANDBOX',
] as const;

/** A stable error code; see {@link errorCodes}. */
export type McapiErrorCode = (typeof errorCodes)[number];
