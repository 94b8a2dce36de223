import type { NonceStore } from '@mcapi/auth';
import type { AccessTokenSigner } from './access-token-signer.js';
import type { DpopNonces } from './dpop-nonces.js';
import type { OAuth2Grants } from './oauth2-grants.js';
import type { OAuth2ClientRegistry } from './oauth2-clients.js';

/** One token endpoint call as the sandbox records it (never a token, assertion or proof). */
export interface OAuth2TokenLogEntry {
  time: string;
  grant: string;
  status: number;
  /** `issued`, or the OAuth error code and why. */
  outcome: string;
  clientId?: string;
}

/** What the OAuth 2.0 endpoints share. */
export interface OAuth2ServerContext {
  clients: OAuth2ClientRegistry;
  grants: OAuth2Grants;
  nonces: DpopNonces;
  /** One-time values (DPoP proof and client assertion `jti`s), shared with the other listeners. */
  replay: NonceStore;
  now: () => number;
  /** The issuer identifier (the listener's origin): the `aud` of client assertions. */
  issuer: string;
  refreshTokenSeconds: number;
  /** Signs DPoP-bound access tokens as JWTs carrying `cnf.jkt`. */
  accessTokens: AccessTokenSigner;
  recordToken(entry: Omit<OAuth2TokenLogEntry, 'time'>): void;
}
