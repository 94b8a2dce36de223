import { type Server, createServer } from 'node:https';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';

/**
 * An HTTPS server with the sandbox server certificate and no client certificate (Cross-Border,
 * OAuth 2.0): callers are authenticated per request. Its handler is given by `serve`.
 */
export function createTlsServer(keys: SandboxKeys): Server {
  return createServer({
    key: keys.server.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: keys.server.certificate.toString(),
    minVersion: 'TLSv1.2',
  });
}
