import type { ServerResponse } from 'node:http';
import { AUTHORIZATION_CODE_SECONDS } from './oauth2-grants.js';
import { sendOAuthError } from './oauth2-http.js';
import type { OAuth2ServerContext } from './oauth2-server-context.js';

/** A sandbox "login": what the authorize endpoint needs to hand out a code. */
export interface SandboxLoginRequest {
  clientId: string;
  /** Default: the client's only registered redirect URI. */
  redirectUri?: string;
  /** PKCE S256 challenge (RFC 7636), required. */
  codeChallenge: string;
  codeChallengeMethod?: string;
  state?: string;
  scope?: string;
}

/** Result of a sandbox login: the redirect a browser would follow. */
export type SandboxLoginResult =
  | { ok: true; code: string; location: string }
  | { ok: false; status: number; error: string; description: string; location?: string };

/**
 * The sandbox's login step: Mastercard shows a login page, the sandbox logs the "person" in at
 * once and issues a code (15 minutes, single use) bound to the client, redirect URI and PKCE
 * challenge. Errors about the client or redirect URI are never redirected (RFC 6749 §4.1.2.1).
 */
export function sandboxLogin(context: OAuth2ServerContext, input: SandboxLoginRequest): SandboxLoginResult {
  const client = context.clients.get(input.clientId);
  if (!client) return { ok: false, status: 400, error: 'invalid_request', description: 'Unknown client_id; register the client on the sandbox dashboard.' };
  const redirectUri = input.redirectUri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    return { ok: false, status: 400, error: 'invalid_request', description: 'redirect_uri is not registered for this client.' };
  }
  const redirect = (params: Record<string, string>) => {
    const location = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
    if (input.state !== undefined) location.searchParams.set('state', input.state);
    // RFC 9207: the issuer in the response defends against mix-up attacks.
    location.searchParams.set('iss', context.issuer);
    return location.toString();
  };
  if (input.codeChallengeMethod !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(input.codeChallenge)) {
    const description = 'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256.';
    return { ok: false, status: 302, error: 'invalid_request', description, location: redirect({ error: 'invalid_request', error_description: description }) };
  }
  const scope = input.scope ?? '';
  const code = context.grants.issueCode({
    clientId: client.clientId,
    project: client.project,
    redirectUri,
    codeChallenge: input.codeChallenge,
    scope,
    expiresAt: context.now() + AUTHORIZATION_CODE_SECONDS * 1000,
  });
  return { ok: true, code, location: redirect({ code }) };
}

/** `GET /oauth2/authorize?response_type=code&client_id&redirect_uri&code_challenge&code_challenge_method=S256&state`. */
export function handleAuthorizeRequest(context: OAuth2ServerContext, response: ServerResponse, url: URL): void {
  const params = url.searchParams;
  const optional = (name: string) => params.get(name) ?? undefined;
  const clientId = params.get('client_id') ?? '';
  const redirectUri = optional('redirect_uri');
  const state = optional('state');
  const scope = optional('scope');
  const method = optional('code_challenge_method');
  if (params.get('response_type') !== 'code') {
    const client = context.clients.get(clientId);
    const target = redirectUri ?? (client?.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (!client || target === undefined || !client.redirectUris.includes(target)) {
      sendOAuthError(response, 400, 'invalid_request', 'Unknown client_id or unregistered redirect_uri.');
      return;
    }
    const location = new URL(target);
    location.searchParams.set('error', 'unsupported_response_type');
    if (state !== undefined) location.searchParams.set('state', state);
    response.writeHead(302, { location: location.toString(), 'cache-control': 'no-store' }).end();
    return;
  }
  const result = sandboxLogin(context, {
    clientId,
    codeChallenge: params.get('code_challenge') ?? '',
    ...(redirectUri !== undefined && { redirectUri }),
    ...(state !== undefined && { state }),
    ...(scope !== undefined && { scope }),
    ...(method !== undefined && { codeChallengeMethod: method }),
  });
  if (result.ok || result.location !== undefined) {
    response.writeHead(302, { location: result.ok ? result.location : result.location!, 'cache-control': 'no-store' }).end();
    return;
  }
  sendOAuthError(response, result.status, result.error, result.description);
}
