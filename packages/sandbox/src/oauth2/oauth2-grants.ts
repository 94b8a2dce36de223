import { randomBytes } from 'node:crypto';

/** Access tokens and authorization codes live 15 minutes (mastercard-security.md §4). */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const AUTHORIZATION_CODE_SECONDS = 15 * 60;
/** Refresh tokens of the balance flow live 90 days from the login; rotation keeps that end. */
export const REFRESH_TOKEN_SECONDS = 90 * 24 * 60 * 60;

/** An issued access token. DPoP-bound ones carry the key thumbprint (`cnf.jkt`, RFC 9449 §6). */
export interface AccessTokenRecord {
  clientId: string;
  project: string;
  scope: string;
  expiresAt: number;
  /** Set for DPoP tokens: only proofs signed by this key may use them. */
  jkt?: string;
}

/** A pending authorization code. */
export interface CodeRecord {
  clientId: string;
  project: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  expiresAt: number;
}

interface RefreshRecord {
  clientId: string;
  project: string;
  scope: string;
  expiresAt: number;
  /** All refresh tokens descending from one login share a family (reuse revokes it). */
  family: string;
}

/** Outcome of {@link OAuth2Grants.rotateRefreshToken}. */
export type RefreshOutcome =
  | { ok: true; record: Omit<RefreshRecord, 'family'>; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'wrong client' };

/** Every token, code and refresh token the sandbox issued (in memory). */
export interface OAuth2Grants {
  /** Stores an access token: `token` when given (a signed JWT), else a random opaque one. */
  issueAccessToken(record: AccessTokenRecord, token?: string): string;
  accessToken(token: string): AccessTokenRecord | undefined;
  issueCode(record: CodeRecord): string;
  /** Takes a code: it works once (RFC 6749 §4.1.2). */
  takeCode(code: string): CodeRecord | undefined;
  issueRefreshToken(record: Omit<RefreshRecord, 'family'>): string;
  /** Swaps a refresh token for a new one with the same end of life (rotation, RFC 9700 §4.14.2). */
  rotateRefreshToken(token: string, clientId: string): RefreshOutcome;
  /** Revokes the refresh tokens of one client, or all; returns how many. */
  revokeRefreshTokens(clientId?: string): number;
  /** Drops expired entries. */
  sweep(): void;
}

const newToken = () => randomBytes(32).toString('base64url');

/** Creates the grant store on the sandbox clock. */
export function createOAuth2Grants(now: () => number): OAuth2Grants {
  const accessTokens = new Map<string, AccessTokenRecord>();
  const codes = new Map<string, CodeRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  // Rotated-away refresh tokens, kept until their end of life to detect reuse.
  const usedRefreshTokens = new Map<string, RefreshRecord>();
  let issuedSinceSweep = 0;

  const sweep = () => {
    const current = now();
    for (const map of [accessTokens, codes, refreshTokens, usedRefreshTokens] as Map<string, { expiresAt: number }>[]) {
      for (const [key, record] of map) if (record.expiresAt <= current) map.delete(key);
    }
    issuedSinceSweep = 0;
  };
  const issued = () => {
    if (++issuedSinceSweep >= 1000) sweep();
  };

  return {
    issueAccessToken(record, given) {
      issued();
      const token = given ?? newToken();
      accessTokens.set(token, record);
      return token;
    },
    accessToken: (token) => accessTokens.get(token),
    issueCode(record) {
      issued();
      const code = newToken();
      codes.set(code, record);
      return code;
    },
    takeCode(code) {
      const record = codes.get(code);
      codes.delete(code);
      return record !== undefined && now() < record.expiresAt ? record : undefined;
    },
    issueRefreshToken(record) {
      issued();
      const token = newToken();
      refreshTokens.set(token, { ...record, family: newToken() });
      return token;
    },
    rotateRefreshToken(token, clientId) {
      const record = refreshTokens.get(token);
      if (record === undefined) {
        const used = usedRefreshTokens.get(token);
        if (used === undefined) return { ok: false, reason: 'unknown' };
        // A rotated-away token came back: someone holds a copy. Revoke the whole family.
        for (const [key, other] of refreshTokens) if (other.family === used.family) refreshTokens.delete(key);
        return { ok: false, reason: 'reused' };
      }
      if (record.clientId !== clientId) return { ok: false, reason: 'wrong client' };
      if (now() >= record.expiresAt) {
        refreshTokens.delete(token);
        return { ok: false, reason: 'expired' };
      }
      refreshTokens.delete(token);
      usedRefreshTokens.set(token, record);
      const next = newToken();
      refreshTokens.set(next, record);
      const { family: _family, ...shown } = record;
      return { ok: true, record: shown, refreshToken: next };
    },
    revokeRefreshTokens(clientId) {
      let count = 0;
      for (const [key, record] of refreshTokens) {
        if (clientId === undefined || record.clientId === clientId) {
          refreshTokens.delete(key);
          count++;
        }
      }
      return count;
    },
    sweep,
  };
}
