// A small real OAuth 2.0 authorization + resource server on 127.0.0.1 for the tests. It checks
// everything with jose: client assertions (private_key_jwt), DPoP proofs (RFC 9449, with a
// nonce demanded on first use), DPoP-bound tokens, the authorization code grant with PKCE and
// refresh tokens.
import { type KeyObject, createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWK, calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';

export interface Clock {
  now: number;
}

export interface TestOAuthServer {
  origin: string;
  issuer: string;
  tokenEndpoint: string;
  /** Every request to /token, in order, with the outcome. */
  tokenCalls: { grant: string; outcome: string }[];
  /** Every resource call outcome. */
  resourceCalls: string[];
  /** DPoP proof payloads and headers the server accepted (for assertions in tests). */
  acceptedProofs: { header: Record<string, unknown>; payload: Record<string, unknown> }[];
  /** Rotates the nonce the token endpoint demands. */
  rotateNonce(): void;
  /** Simulates the login page: a code for the given PKCE challenge. */
  issueCode(codeChallenge?: string): string;
  /** Revokes every refresh token. */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

export interface TestOAuthServerOptions {
  clock: Clock;
  /** private_key_jwt clients: client id → registered public key and kid. */
  clients: Map<string, { publicKey: KeyObject; kid: string }>;
  /** client_secret_basic clients of the authorization code flow: client id → secret. */
  secrets?: Map<string, string>;
  redirectUri?: string;
}

const accessTokenSeconds = 900;
const refreshTokenSeconds = 90 * 24 * 3600;

export async function startTestOAuthServer(options: TestOAuthServerOptions): Promise<TestOAuthServer> {
  const { clock, clients } = options;
  const seenJti = new Set<string>();
  const dpopTokens = new Map<string, { jkt: string; expiresAt: number }>();
  const bearerTokens = new Map<string, number>();
  const refreshTokens = new Map<string, number>();
  const codes = new Map<string, string | undefined>();
  let tokenNonce = randomBytes(8).toString('hex');
  const resourceNonce = randomBytes(8).toString('hex');
  const state = {
    tokenCalls: [] as { grant: string; outcome: string }[],
    resourceCalls: [] as string[],
    acceptedProofs: [] as { header: Record<string, unknown>; payload: Record<string, unknown> }[],
  };
  let origin = '';

  async function verifyProof(proof: string | undefined, method: string, htu: string, accessToken?: string) {
    if (proof === undefined) throw new Error('missing DPoP proof');
    const header = decodeProtectedHeader(proof);
    if (header.typ !== 'dpop+jwt' || typeof header.jwk !== 'object') throw new Error('bad DPoP header');
    if (JSON.stringify(Object.keys(header.jwk)).includes('"d"')) throw new Error('private key in DPoP jwk');
    const key = await importJWK(header.jwk as JWK, header.alg);
    const { payload } = await jwtVerify(proof, key, {
      typ: 'dpop+jwt',
      algorithms: ['ES256', 'PS256'],
      currentDate: new Date(clock.now),
      maxTokenAge: 300,
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
    });
    if (payload.htm !== method) throw new Error(`htm ${String(payload.htm)}`);
    if (payload.htu !== htu) throw new Error(`htu ${String(payload.htu)}`);
    if (seenJti.has(payload.jti!)) throw new Error('replayed DPoP jti');
    if (accessToken !== undefined && payload.ath !== createHash('sha256').update(accessToken).digest('base64url')) throw new Error('bad ath');
    seenJti.add(payload.jti!);
    state.acceptedProofs.push({ header: header as Record<string, unknown>, payload: payload as Record<string, unknown> });
    return { payload, jkt: await calculateJwkThumbprint(header.jwk as JWK) };
  }

  async function verifyAssertion(form: URLSearchParams): Promise<string> {
    const assertion = form.get('client_assertion') ?? '';
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') throw new Error('assertion type');
    const { kid } = decodeProtectedHeader(assertion);
    const clientId = [...clients].find(([, client]) => client.kid === kid)?.[0];
    if (clientId === undefined) throw new Error('unknown kid');
    const { payload } = await jwtVerify(assertion, clients.get(clientId)!.publicKey, {
      algorithms: ['PS256', 'ES256'],
      issuer: clientId,
      subject: clientId,
      audience: origin,
      currentDate: new Date(clock.now),
      requiredClaims: ['jti', 'iat', 'nbf', 'exp'],
    });
    if (payload.exp! - payload.iat! > 120) throw new Error('assertion lives too long');
    if (seenJti.has(payload.jti!)) throw new Error('replayed assertion');
    seenJti.add(payload.jti!);
    return clientId;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  function basicClient(req: IncomingMessage): string | undefined {
    const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!match) return undefined;
    const [id, secret] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent) as [string, string];
    return options.secrets?.get(id) === secret ? id : undefined;
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    const grant = form.get('grant_type') ?? '';
    const record = (outcome: string) => state.tokenCalls.push({ grant, outcome });
    if (grant === 'client_credentials') {
      let jkt: string;
      try {
        const proof = await verifyProof(req.headers.dpop as string | undefined, 'POST', `${origin}/token`);
        if (proof.payload.nonce !== tokenNonce) {
          record('use_dpop_nonce');
          return send(res, 400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'dpop-nonce': tokenNonce });
        }
        jkt = proof.jkt;
      } catch (error) {
        record(`invalid_dpop_proof: ${(error as Error).message}`);
        return send(res, 400, { error: 'invalid_dpop_proof' });
      }
      try {
        await verifyAssertion(form);
      } catch (error) {
        record(`invalid_client: ${(error as Error).message}`);
        return send(res, 401, { error: 'invalid_client' });
      }
      const accessToken = randomBytes(24).toString('base64url');
      dpopTokens.set(accessToken, { jkt, expiresAt: clock.now + accessTokenSeconds * 1000 });
      record('issued');
      return send(res, 200, { access_token: accessToken, token_type: 'DPoP', expires_in: accessTokenSeconds, scope: form.get('scope') ?? '' }, { 'dpop-nonce': tokenNonce });
    }

    const clientId = form.has('client_assertion') ? await verifyAssertion(form).catch(() => undefined) : basicClient(req);
    if (clientId === undefined) {
      record('invalid_client');
      return send(res, 401, { error: 'invalid_client' });
    }
    const issue = () => {
      const accessToken = randomBytes(24).toString('base64url');
      const refreshToken = randomBytes(24).toString('base64url');
      bearerTokens.set(accessToken, clock.now + accessTokenSeconds * 1000);
      refreshTokens.set(refreshToken, clock.now + refreshTokenSeconds * 1000);
      record('issued');
      send(res, 200, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: accessTokenSeconds,
        refresh_token: refreshToken,
        refresh_token_expires_in: refreshTokenSeconds,
      });
    };
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      if (!codes.has(code) || form.get('redirect_uri') !== options.redirectUri) {
        record('invalid_grant');
        return send(res, 400, { error: 'invalid_grant' });
      }
      const challenge = codes.get(code);
      codes.delete(code);
      if (challenge !== undefined && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== challenge) {
        record('invalid_grant: pkce');
        return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      }
      return issue();
    }
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      const expiresAt = refreshTokens.get(refreshToken);
      if (expiresAt === undefined || clock.now >= expiresAt) {
        record('invalid_grant');
        return send(res, 400, { error: 'invalid_grant', error_description: 'refresh token expired or revoked' });
      }
      refreshTokens.delete(refreshToken);
      return issue();
    }
    record('unsupported_grant_type');
    return send(res, 400, { error: 'unsupported_grant_type' });
  }

  async function resource(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, origin);
    const authorization = req.headers.authorization ?? '';
    if (authorization.startsWith('Bearer ')) {
      const expiresAt = bearerTokens.get(authorization.slice(7));
      const ok = expiresAt !== undefined && clock.now < expiresAt;
      state.resourceCalls.push(ok ? 'ok' : 'invalid_token');
      return ok ? send(res, 200, { balance: '10.00' }) : send(res, 401, { error: 'invalid_token' });
    }
    const accessToken = authorization.startsWith('DPoP ') ? authorization.slice(5) : '';
    const bound = dpopTokens.get(accessToken);
    if (bound === undefined || clock.now >= bound.expiresAt) {
      state.resourceCalls.push('invalid_token');
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'DPoP error="invalid_token"' });
    }
    try {
      const proof = await verifyProof(req.headers.dpop as string | undefined, req.method!, `${origin}${url.pathname}`, accessToken);
      if (proof.jkt !== bound.jkt) throw new Error('token bound to another key');
      if (proof.payload.nonce !== resourceNonce) {
        state.resourceCalls.push('use_dpop_nonce');
        return send(res, 401, { error: 'use_dpop_nonce' }, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': resourceNonce });
      }
    } catch (error) {
      state.resourceCalls.push(`invalid_dpop_proof: ${(error as Error).message}`);
      return send(res, 401, { error: 'invalid_dpop_proof' }, { 'www-authenticate': 'DPoP error="invalid_dpop_proof"' });
    }
    state.resourceCalls.push('ok');
    return send(res, 200, { ok: true, query: url.search });
  }

  const server = createServer((req, res) => {
    const handler = req.url === '/token' && req.method === 'POST' ? token : resource;
    handler(req, res).catch((error: unknown) => send(res, 500, { error: 'server_error', detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    issuer: origin,
    tokenEndpoint: `${origin}/token`,
    get tokenCalls() {
      return state.tokenCalls;
    },
    get resourceCalls() {
      return state.resourceCalls;
    },
    get acceptedProofs() {
      return state.acceptedProofs;
    },
    rotateNonce() {
      tokenNonce = randomBytes(8).toString('hex');
    },
    issueCode(codeChallenge) {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, codeChallenge);
      return code;
    },
    revokeRefreshTokens() {
      refreshTokens.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
