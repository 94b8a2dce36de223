import type { OptionSpec } from '../cli/command-spec.js';

/** Where keys come from: a keyring (as mcapi-keytool makes it) or explicit files, which win. */
export const keyOptions: Record<string, OptionSpec> = {
  keyring: { type: 'string', value: 'DIR', description: 'keyring directory (default: $MCAPI_KEYRING, else ./.mcapi/keyring)' },
  'passphrase-file': { type: 'string', value: 'FILE', description: 'keyring passphrase from FILE' },
  'passphrase-env': { type: 'string', value: 'VAR', description: 'keyring passphrase from variable VAR (default: MCAPI_KEYRING_PASSPHRASE)' },
  'consumer-key': { type: 'string', value: 'KEY', description: 'OAuth consumer key (instead of the keyring signing key\'s)' },
  'signing-key': { type: 'string', value: 'FILE', description: 'OAuth signing private key: PEM, DER or PKCS#12' },
  'signing-cert': { type: 'string', value: 'FILE', description: 'its certificate (request token x5c)' },
  'mtls-cert': { type: 'string', value: 'FILE', description: 'client certificate for mTLS (Benefit Allocation), chain after the leaf' },
  'mtls-key': { type: 'string', value: 'FILE', description: 'its private key' },
  'encryption-cert': { type: 'string', value: 'FILE', description: "Mastercard's request-encryption certificate" },
  'decryption-key': { type: 'string', value: 'FILE', description: 'response-decryption private key (repeatable)', multiple: true },
  'key-passphrase-file': { type: 'string', value: 'FILE', description: 'passphrase of the explicit key files (encrypted PKCS#8 / PKCS#12)' },
  'key-passphrase-env': { type: 'string', value: 'VAR', description: 'the same, from variable VAR' },
};

/** OAuth 2.0 (`--auth oauth2`): FAPI 2.0 client credentials with private_key_jwt and DPoP. */
export const oauth2Options: Record<string, OptionSpec> = {
  'client-id': { type: 'string', value: 'ID', description: 'OAuth 2.0 client id (--auth oauth2)' },
  'oauth2-key': { type: 'string', value: 'FILE', description: "private key of the client assertion, RSA >= 2048 (PS256) or P-256 (ES256) (default: the keyring's signing key)" },
  'oauth2-kid': { type: 'string', value: 'KID', description: 'its key id as registered (default: its RFC 7638 JWK thumbprint, as the sandbox assigns)' },
  issuer: { type: 'string', value: 'URL', description: "authorization server issuer, the assertion's aud (default: the API's origin, as on the sandbox's OAuth 2.0 listener)" },
  'token-endpoint': { type: 'string', value: 'URL', description: 'token endpoint (default: ISSUER/oauth2/token, the sandbox\'s)' },
  scope: { type: 'string', value: 'SCOPE', description: 'scope to request (repeatable)', multiple: true },
  'dpop-key': { type: 'string', value: 'FILE', description: 'DPoP private key, RSA >= 2048 or P-256 (default: a P-256 key made for this run)' },
};

/** Which environment's hosts and keys to use. */
export const environmentOptions: Record<string, OptionSpec> = {
  env: { type: 'string', value: 'ENV', description: 'sandbox (default) | production | sandbox-eu | mtf-eu | production-eu | sandbox-uk | mtf-uk | production-uk' },
  'key-env': { type: 'string', value: 'ENV', description: 'keyring environment of the keys: sandbox | production (default: that of --env)' },
  'bas-url': { type: 'string', value: 'URL', description: 'Benefit Allocation base URL instead of the environment\'s (e.g. the local sandbox)' },
  'cross-border-url': { type: 'string', value: 'URL', description: 'Cross-Border base URL instead of the environment\'s' },
  ca: { type: 'string', value: 'FILE', description: 'trusted root certificates (PEM) replacing the system ones, e.g. the sandbox CA; verification is never turned off' },
};
