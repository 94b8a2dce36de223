import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateClient } from './client-authentication.js';
import { verifyDpopProof } from './dpop-proof.js';
import { ACCESS_TOKEN_SECONDS } from './oauth2-grants.js';
import { requestUrl, sendJson, sendOAuthError } from './oauth2-http.js';
import type { OAuth2ServerContext } from './oauth2-server-context.js';

/**
 * `POST /oauth2/token`: the client credentials grant (FAPI 2.0: private_key_jwt + DPoP, a nonce
 * demanded on first use, DPoP-bound tokens for 15 minutes) and, for the Cross-Border balance
 * flow, the authorization code grant (PKCE S256) and the refresh token grant (rotation).
 */
export async function handleTokenRequest(
  context: OAuth2ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
): Promise<void> {
  let grant = '';
  const fail = (status: number, error: string, description: string, headers: Record<string, string> = {}) => {
    context.recordToken({ grant, status, outcome: `${error}: ${description}` });
    sendOAuthError(response, status, error, description, headers);
  };
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return fail(400, 'invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(body.toString('utf8'));
  // RFC 6749 §3.2: request parameters must not be repeated.
  const names = [...form.keys()];
  if (new Set(names).size !== names.length) return fail(400, 'invalid_request', 'A parameter is repeated.');
  grant = form.get('grant_type') ?? '';
  const now = context.now();

  if (grant === 'client_credentials') {
    // The proof is checked before the assertion, so a nonce challenge does not spend the assertion.
    const proof = await verifyDpopProof(
      { header: request.headers.dpop, method: 'POST', url: requestUrl(request), requireNonce: true },
      context,
    );
    if (!proof.ok) {
      if (proof.error === 'use_dpop_nonce') {
        // RFC 9449 §8: 400 use_dpop_nonce with the nonce to use in the DPoP-Nonce header.
        return fail(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'dpop-nonce': context.nonces.current() });
      }
      return fail(400, 'invalid_dpop_proof', proof.reason);
    }
    const client = await authenticateClient(form, request.headers, { ...context, allowSecret: false });
    if (!client.ok) return fail(401, 'invalid_client', client.reason);
    // Recorded only now that the client is authenticated (issue 12 item 8).
    if (!(await proof.claim())) return fail(400, 'invalid_dpop_proof', 'proof jti replayed');
    const scope = form.get('scope') ?? '';
    const expiresAt = now + ACCESS_TOKEN_SECONDS * 1000;
    const clientId = client.client.clientId;
    // The binding is enforced from the grant store; the JWT shows it (`cnf.jkt`) to whoever looks.
    const jwt = await context.accessTokens.sign({ issuer: context.issuer, clientId, scope, issuedAt: now, expiresAt, jkt: proof.jkt });
    const accessToken = context.grants.issueAccessToken({ clientId, project: client.client.project, scope, expiresAt, jkt: proof.jkt }, jwt);
    context.recordToken({ grant, status: 200, outcome: 'issued', clientId: client.client.clientId });
    return sendJson(
      response,
      200,
      { access_token: accessToken, token_type: 'DPoP', expires_in: ACCESS_TOKEN_SECONDS, scope },
      { 'dpop-nonce': context.nonces.current() },
    );
  }

  if (grant !== 'authorization_code' && grant !== 'refresh_token') {
    return fail(400, 'unsupported_grant_type', 'Use client_credentials, authorization_code or refresh_token.');
  }
  const client = await authenticateClient(form, request.headers, { ...context, allowSecret: true });
  if (!client.ok) return fail(401, 'invalid_client', client.reason, { 'www-authenticate': 'Basic realm="mcapi-sandbox"' });
  const clientId = client.client.clientId;

  if (grant === 'authorization_code') {
    const code = context.grants.takeCode(form.get('code') ?? '');
    if (code === undefined || code.clientId !== clientId) return fail(400, 'invalid_grant', 'The code is unknown, used or expired (codes live 15 minutes).');
    if (form.get('redirect_uri') !== code.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri differs from the authorization request.');
    // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the challenge.
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !sameText(createHash('sha256').update(verifier).digest('base64url'), code.codeChallenge)) {
      return fail(400, 'invalid_grant', 'PKCE verification failed: send the code_verifier of the S256 code_challenge.');
    }
    const refreshToken = context.grants.issueRefreshToken({
      clientId,
      project: code.project,
      scope: code.scope,
      expiresAt: now + context.refreshTokenSeconds * 1000,
    });
    return issueBearer(context, response, { clientId, project: code.project, scope: code.scope, refreshToken, refreshExpiresAt: now + context.refreshTokenSeconds * 1000 }, grant);
  }

  const rotated = context.grants.rotateRefreshToken(form.get('refresh_token') ?? '', clientId);
  if (!rotated.ok) {
    const why = {
      unknown: 'The refresh token is unknown or revoked.',
      expired: 'The refresh token has expired (they live 90 days); the user must log in again.',
      reused: 'The refresh token was already used; every token of this login is revoked. The user must log in again.',
      'wrong client': 'The refresh token belongs to another client.',
    }[rotated.reason];
    return fail(400, 'invalid_grant', why);
  }
  return issueBearer(
    context,
    response,
    { clientId, project: rotated.record.project, scope: rotated.record.scope, refreshToken: rotated.refreshToken, refreshExpiresAt: rotated.record.expiresAt },
    grant,
  );
}

function issueBearer(
  context: OAuth2ServerContext,
  response: ServerResponse,
  input: { clientId: string; project: string; scope: string; refreshToken: string; refreshExpiresAt: number },
  grant: string,
): void {
  const now = context.now();
  const accessToken = context.grants.issueAccessToken({
    clientId: input.clientId,
    project: input.project,
    scope: input.scope,
    expiresAt: now + ACCESS_TOKEN_SECONDS * 1000,
  });
  context.recordToken({ grant, status: 200, outcome: 'issued', clientId: input.clientId });
  sendJson(response, 200, {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: input.refreshToken,
    refresh_token_expires_in: Math.max(1, Math.floor((input.refreshExpiresAt - now) / 1000)),
    scope: input.scope,
  });
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
