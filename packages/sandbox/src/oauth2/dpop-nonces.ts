import { randomBytes } from 'node:crypto';

/** Server-chosen DPoP nonces (RFC 9449 §8). */
export interface DpopNonces {
  /** The nonce to hand out now (`DPoP-Nonce` header). */
  current(): string;
  /** True for the current nonce and the one before it (a client may hold either). */
  accepts(nonce: unknown): boolean;
}

/**
 * How long one nonce is handed out before the next one replaces it: the access token lifetime,
 * so a nonce a client received with its token (RFC 9449 §8) still works on resource calls for as
 * long as it keeps that token cached (clients cannot learn a resource nonce outside their own
 * retries, e.g. inside a request pipeline).
 */
export const NONCE_ROTATION_MS = 15 * 60_000;

/**
 * Nonces that rotate every 15 minutes on the sandbox clock. The previous one stays valid for
 * one more period so a client that fetched it just before a rotation is not bounced twice.
 */
export function createDpopNonces(now: () => number): DpopNonces {
  let epoch = Math.floor(now() / NONCE_ROTATION_MS);
  let currentNonce = randomBytes(16).toString('base64url');
  let previousNonce: string | undefined;
  const rotate = () => {
    const nowEpoch = Math.floor(now() / NONCE_ROTATION_MS);
    if (nowEpoch === epoch) return;
    previousNonce = nowEpoch === epoch + 1 ? currentNonce : undefined;
    currentNonce = randomBytes(16).toString('base64url');
    epoch = nowEpoch;
  };
  return {
    current() {
      rotate();
      return currentNonce;
    },
    accepts(nonce) {
      rotate();
      return typeof nonce === 'string' && (nonce === currentNonce || nonce === previousNonce);
    },
  };
}
