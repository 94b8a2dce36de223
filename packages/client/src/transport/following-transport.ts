import type { MtlsCredentials, MtlsTransport } from '@mcapi/transport-mtls';

/**
 * A transport that presents the client certificate `current()` returns now: checked before every
 * request (one identity comparison, see `followActiveKey`), and when a keyring rotation replaced
 * it, `transport.reload` swaps the pool: this request and later ones connect with the new
 * certificate, requests in flight finish on the old connections. A certificate the reload refuses
 * (expired, not matching its key) fails every request until the keyring changes again: never a
 * silent fallback to the old certificate, and one check per rotation, not per request.
 *
 * @example
 * ```ts
 * const presented = current();
 * const transport = followingTransport(createMtlsTransport({ credentials: presented }), current, presented);
 * ```
 */
export function followingTransport(transport: MtlsTransport, current: () => MtlsCredentials, presented: MtlsCredentials): MtlsTransport {
  let reloading: Promise<void> | undefined;
  const request: MtlsTransport['request'] = (input) => {
    // Throws the client's "not configured" error when the keyring has no active mtls key now.
    const credentials = current();
    if (credentials !== presented) {
      presented = credentials;
      const reload: Promise<void> = transport.reload(credentials).then(() => {
        if (reloading === reload) reloading = undefined;
      });
      reloading = reload;
    }
    return reloading === undefined ? transport.request(input) : reloading.then(() => transport.request(input));
  };
  return {
    request,
    reload: transport.reload,
    close: transport.close,
    get dispatcher() {
      return transport.dispatcher;
    },
  };
}
