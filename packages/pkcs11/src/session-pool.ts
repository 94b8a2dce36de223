import { McapiError } from '@mcapi/errors';
import pkcs11js from 'pkcs11js';

/**
 * PKCS#11 sessions carry one operation at a time, so each operation borrows one. Up to `max` are
 * opened on demand and kept; with the library initialised for OS locking, operations in different
 * sessions run in parallel on libuv's threads.
 */
export interface SessionPool {
  use<T>(work: (session: pkcs11js.Handle) => Promise<T>, isBroken: (error: unknown) => boolean): Promise<T>;
  close(): void;
}

export function createSessionPool(library: pkcs11js.PKCS11, slot: pkcs11js.Handle, max: number, first: pkcs11js.Handle): SessionPool {
  const idle: pkcs11js.Handle[] = [first];
  const waiting: ((session: pkcs11js.Handle) => void)[] = [];
  let open = 1;
  let closed = false;

  const acquire = (): Promise<pkcs11js.Handle> => {
    const session = idle.pop();
    if (session !== undefined) return Promise.resolve(session);
    if (open < max) {
      open++;
      try {
        return Promise.resolve(library.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION));
      } catch (error) {
        open--;
        return Promise.reject(error);
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (session: pkcs11js.Handle) => {
    const next = waiting.shift();
    if (next !== undefined) next(session);
    else idle.push(session);
  };
  const discard = (session: pkcs11js.Handle) => {
    open--;
    try {
      library.C_CloseSession(session);
    } catch {
      // already invalid: the token went away
    }
    // A waiter may now open a fresh session.
    const next = waiting.shift();
    if (next !== undefined) acquire().then(next, () => waiting.unshift(next));
  };

  return {
    async use(work, isBroken) {
      if (closed) throw new McapiError('ERR_PKCS11_OPERATION', 'This PKCS#11 provider is closed; open the token again with openPkcs11.');
      const session = await acquire();
      let broken = false;
      try {
        return await work(session);
      } catch (error) {
        broken = isBroken(error);
        throw error;
      } finally {
        if (broken || closed) discard(session);
        else release(session);
      }
    },
    close() {
      closed = true;
      // Closing every session also logs the application out of the token.
      for (const session of idle.splice(0)) {
        try {
          library.C_CloseSession(session);
        } catch {
          // the token is gone
        }
      }
    },
  };
}
