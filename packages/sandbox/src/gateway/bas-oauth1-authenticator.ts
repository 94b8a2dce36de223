import type { IncomingMessage } from 'node:http';
import { basError } from '../envelopes/bas-error.js';
import type { AuthOutcome } from './gateway-types.js';

type Authenticate = (request: IncomingMessage, body: Uint8Array, url: URL) => Promise<AuthOutcome>;

/**
 * Benefit Allocation's OAuth 1.0a product: the same OAuth 1.0a check as Cross-Border (one nonce
 * store, so a signature accepted on one API cannot be replayed on the other), and only that —
 * the request token and OAuth 2.0 are Cross-Border's (api-facts §1.1, §2.2).
 */
export function basOAuth1Authenticator(oauth1: Authenticate): Authenticate {
  return async (request, body, url) => {
    const authorization = request.headers.authorization ?? '';
    if (!/^OAuth\s/i.test(authorization)) {
      return {
        ok: false,
        reason: 'wrong authorization scheme',
        response: basError(401, 'UNAUTHORIZED', 'Benefit Allocation on the API host takes OAuth 1.0a signatures (Authorization: OAuth …)'),
      };
    }
    return oauth1(request, body, url);
  };
}
