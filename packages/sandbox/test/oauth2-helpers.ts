import { type KeyObject, randomUUID } from 'node:crypto';
import { accessTokenHash } from '@mcapi/auth';
import { type JWK, SignJWT } from 'jose';
import { type Agent, fetch as undiciFetch, request } from 'undici';

/** A mutable fake clock shared by the sandbox and the clients under test. */
export interface Clock {
  now: number;
}

/** A global-`fetch`-shaped function going through `agent` (which trusts the sandbox CA). */
export function fetchVia(agent: Agent, seen?: { url: string; headers: Headers; body: string | undefined }[]) {
  return async (input: string | URL, init?: RequestInit): Promise<Response> => {
    seen?.push({ url: String(input), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : undefined });
    return (await undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as Response;
  };
}

/** A raw call; returns status, headers and the parsed body. */
export async function call(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined && { body: init.body }),
    dispatcher: agent,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, json: json as Record<string, unknown> | undefined, text };
}

/** A hand-made DPoP proof (RFC 9449 §4.2), so tests can break one claim at a time. */
export function makeProof(
  key: KeyObject,
  claims: { htm: string; htu: string; iat: number; accessToken?: string; ath?: string; jti?: string; nonce?: string },
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  const { d: _d, ...publicJwk } = jwk;
  const payload: Record<string, unknown> = { jti: claims.jti ?? randomUUID(), htm: claims.htm, htu: claims.htu, iat: claims.iat };
  if (claims.accessToken !== undefined) payload.ath = accessTokenHash(claims.accessToken);
  if (claims.ath !== undefined) payload.ath = claims.ath;
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk, ...header }).sign(key);
}

/** A hand-made private_key_jwt client assertion (RFC 7523 §3). */
export function makeAssertion(
  key: KeyObject,
  claims: { clientId: string; kid: string; audience: string; iat: number; exp?: number; jti?: string; alg?: string },
): Promise<string> {
  return new SignJWT({ jti: claims.jti ?? randomUUID() })
    .setProtectedHeader({ alg: claims.alg ?? 'ES256', kid: claims.kid })
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setIssuedAt(claims.iat)
    .setNotBefore(claims.iat)
    .setExpirationTime(claims.exp ?? claims.iat + 90)
    .sign(key);
}

/** The form body of a client credentials request with a private_key_jwt assertion. */
export function clientCredentialsForm(assertion: string, scope = 'payments'): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  }).toString();
}
