import { isExternalPrivateKey, jwkThumbprint } from '@mcapi/keys';
import { McapiError } from '@mcapi/errors';
import { type ParsedValues, list, text } from '../cli/command-spec.js';
import type { Credentials } from '../credentials/resolve-credentials.js';
import type { OAuth2Settings } from './oauth2-authorizer.js';

/**
 * The OAuth 2.0 settings of `--auth oauth2` from the options: the client id is required; the key
 * defaults to the keyring's signing key, its kid to its RFC 7638 thumbprint, the issuer to the
 * API's origin and the token endpoint to `ISSUER/oauth2/token` — the sandbox's OAuth 2.0
 * listener, where the same origin serves the token endpoint and the APIs.
 */
export function oauth2Settings(values: ParsedValues, url: URL, credentials: Credentials, transport: { ca: string | undefined; timeoutMs: number }): OAuth2Settings {
  const clientId = text(values, 'client-id');
  if (clientId === undefined || clientId === '') {
    throw new McapiError('ERR_CLI_USAGE', '--auth oauth2 needs --client-id ID: the client registered with the authorization server (on the sandbox: POST /_dashboard/oauth2/clients with your public key).');
  }
  const signingKey = credentials.oauth2Key ?? credentials.signingKey;
  if (signingKey === undefined) {
    throw new McapiError('ERR_INVALID_OPTION', `--auth oauth2 signs its client assertion with a private key: pass --oauth2-key FILE, or keep a signing key in the keyring for ${credentials.keyEnvironment}.`);
  }
  const issuer = text(values, 'issuer') ?? url.origin;
  const tokenEndpoint = text(values, 'token-endpoint') ?? new URL('/oauth2/token', issuer).href;
  return {
    clientId,
    // A key held in an HSM carries its public key beside it.
    kid: text(values, 'oauth2-kid') ?? jwkThumbprint(isExternalPrivateKey(signingKey) ? signingKey.publicKey : signingKey),
    issuer,
    tokenEndpoint,
    signingKey,
    ...(credentials.dpopKey === undefined ? {} : { dpopKey: credentials.dpopKey }),
    scopes: list(values, 'scope'),
    ...(transport.ca === undefined ? {} : { ca: transport.ca }),
    timeoutMs: transport.timeoutMs,
  };
}
