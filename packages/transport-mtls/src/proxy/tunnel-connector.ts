import { performance } from 'node:perf_hooks';
import type { buildConnector } from 'undici';
import { noteTunnel } from '../connection-tracker.js';
import { openTunnel } from './open-tunnel.js';
import type { ResolvedProxy } from './resolve-proxy.js';

/**
 * An undici connector that reaches each origin through the proxy, unless the origin is exempt
 * (`NO_PROXY`), and then runs `connectOrigin` — our tracked TLS connector — over the tunnel
 * (undici's connectors start TLS on an existing socket given as `httpSocket`). Pooling, keep-alive
 * and reload are the Agent's business and work as without a proxy.
 */
export function createTunnelConnector(proxy: ResolvedProxy, connectOrigin: buildConnector.connector, timeoutMs: number): buildConnector.connector {
  return (target, callback) => {
    const port = Number(target.port) || 443;
    if (proxy.bypass(target.hostname, port)) {
      connectOrigin(target, callback);
      return;
    }
    const startedAt = performance.now();
    openTunnel(proxy, target.hostname, port, timeoutMs).then(
      (socket) => {
        noteTunnel(socket, startedAt);
        connectOrigin({ ...target, httpSocket: socket }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}
