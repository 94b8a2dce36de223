import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../src/gateway/handle-gateway-request.js';
import type { GatewayProfile } from '../src/gateway/gateway-types.js';
import { gatewayRequestListener } from '../src/gateway/request-listener.js';

describe('gateway request listener', () => {
  it('answers an unexpected failure 500 without detail and warns with card numbers and credentials redacted', async () => {
    const profile = {
      listener: 'crossBorder',
      authenticate: () => {
        throw new Error('broke on card 5291070000000000 with Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
      },
    } as unknown as GatewayProfile;
    const server = createServer(gatewayRequestListener({} as GatewayContext, profile));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const response = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const text = await response.body.text();
      expect(response.statusCode).toBe(500);
      expect(text).toContain('internal sandbox error');
      expect(text).not.toContain('5291070000000000');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('broke on card');
      expect(warnings[0]).not.toContain('5291070000000000');
      expect(warnings[0]).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    } finally {
      process.off('warning', onWarning);
      server.close();
    }
  });
});
