import type { IncomingHttpHeaders } from 'node:http';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { OAuth2ClientRecord, OAuth2ClientRegistry } from './oauth2-clients.js';
import type { NonceStore } from '@mcapi/auth';
import { claimUntil } from '../replay.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Longest lifetime an assertion may claim (FAPI 2.0 clients use ≈ 90 s). */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 30;

/** Outcome of {@link authenticateClient}. */
export type ClientAuthResult =
  | { ok: true; client: OAuth2ClientRecord; method: 'private_key_jwt' | 'client_secret_basic' }
  | { ok: false; reason: string };

/**
 * Authenticates the client of a token request: private_key_jwt (RFC 7523 §3: `iss` = `sub` =
 * client id, `aud` = the issuer, `exp`, `iat`, `jti` used once, signed PS256/ES256 with the
 * registered key and `kid`), or client_secret_basic (RFC 6749 §2.3.1) when `allowSecret`.
 */
export async function authenticateClient(
  form: URLSearchParams,
  headers: IncomingHttpHeaders,
  context: { clients: OAuth2ClientRegistry; issuer: string; now: () => number; replay: NonceStore; allowSecret: boolean },
): Promise<ClientAuthResult> {
  const assertion = form.get('client_assertion');
  if (assertion === null) {
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headers.authorization ?? '');
    if (!context.allowSecret || !basic) return { ok: false, reason: 'private_key_jwt client assertion required' };
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'malformed Basic credentials' };
    let clientId: string;
    let secret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      return { ok: false, reason: 'malformed Basic credentials' };
    }
    const client = context.clients.get(clientId);
    if (!client || !context.clients.checkSecret(clientId, secret)) return { ok: false, reason: 'unknown client or wrong secret' };
    return { ok: true, client, method: 'client_secret_basic' };
  }
  if (form.get('client_assertion_type') !== JWT_BEARER) return { ok: false, reason: `client_assertion_type must be ${JWT_BEARER}` };
  let kid: unknown;
  let issuerClaim: string | undefined;
  try {
    kid = decodeProtectedHeader(assertion).kid;
    const { iss } = decodeJwt(assertion);
    issuerClaim = typeof iss === 'string' ? iss : undefined;
  } catch {
    return { ok: false, reason: 'malformed client assertion' };
  }
  // The client is named by `iss` (RFC 7523 §3); a `client_id` form field, when sent, must agree.
  const clientId = issuerClaim ?? form.get('client_id') ?? '';
  const formClientId = form.get('client_id');
  if (formClientId !== null && formClientId !== clientId) return { ok: false, reason: 'client_id does not match the assertion issuer' };
  const client = context.clients.get(clientId);
  if (!client) return { ok: false, reason: 'unknown client' };
  if (kid !== client.kid) return { ok: false, reason: 'assertion kid is not the registered key id' };
  let payload: { exp?: number; iat?: number; jti?: string };
  try {
    ({ payload } = await jwtVerify(assertion, client.publicKey, {
      algorithms: [client.algorithm],
      issuer: client.clientId,
      subject: client.clientId,
      audience: context.issuer,
      currentDate: new Date(context.now()),
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'iat', 'jti'],
    }));
  } catch (error) {
    return { ok: false, reason: `client assertion rejected (${(error as { code?: string }).code ?? 'verification failed'})` };
  }
  if (payload.exp! - payload.iat! > MAX_ASSERTION_LIFETIME_SECONDS) return { ok: false, reason: 'client assertion lives longer than 5 minutes' };
  if (!(await claimUntil(context.replay, `assertion|${client.clientId}|${payload.jti}`, (payload.exp! + CLOCK_SKEW_SECONDS) * 1000, context.now()))) {
    return { ok: false, reason: 'client assertion jti replayed' };
  }
  return { ok: true, client, method: 'private_key_jwt' };
}
