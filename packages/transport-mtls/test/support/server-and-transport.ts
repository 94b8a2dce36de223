import { afterAll, beforeAll } from 'vitest';
import { createMtlsTransport, type MtlsTransport, type MtlsTransportOptions } from '@mcapi/transport-mtls';
import { createTestPki, type TestPki } from './pki.js';
import { startServer, type StartServerOptions, type TestServer } from './tls-server.js';

/** A test file's PKI, and servers and transports that are closed after its last test. */
export interface ServerAndTransport {
  /** Made once in `beforeAll`. */
  readonly pki: TestPki;
  /** Runs `cleanup` after the file's tests (last registered, first run). */
  onCleanup(cleanup: () => Promise<unknown>): void;
  /** A TLS server with `server` options and a transport trusting its CA with the first client certificate. */
  setup(
    server: StartServerOptions,
    options?: Partial<MtlsTransportOptions>,
  ): Promise<{ server: TestServer; url: string; transport: MtlsTransport }>;
}

/**
 * Registers the `beforeAll`/`afterAll` hooks of a test file that talks to real TLS servers through
 * transports; call once at the top of the file.
 */
export function useServerAndTransport(): ServerAndTransport {
  let pki: TestPki | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const fixture: ServerAndTransport = {
    get pki() {
      if (pki === undefined) throw new Error('The test PKI is made in beforeAll; use it inside tests.');
      return pki;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
    async setup(server, options = {}) {
      const { pki } = fixture;
      const started = await startServer(pki, server);
      const transport = createMtlsTransport({ credentials: { cert: pki.client.cert, key: pki.client.key }, ca: pki.ca.cert, ...options });
      cleanups.push(() => started.close(), () => transport.close());
      return { server: started, url: started.url, transport };
    },
  };
  return fixture;
}
