/**
 * `derive`, run again only when it is given a different object than last time: on the hot path
 * (every request) following a key costs one identity comparison, and the signer, TLS pool or
 * encryption options built from a key are rebuilt only when the key itself was replaced.
 *
 * @example
 * ```ts
 * const signerFor = lastDerived((credentials: OAuth1Credentials) => createOAuth1Signer(credentials));
 * signerFor(current()).authorize(request); // a new signer only after a rotation
 * ```
 */
export function lastDerived<I extends object, O>(derive: (input: I) => O): (input: I) => O {
  let lastInput: I | undefined;
  let lastOutput!: O;
  return (input) => {
    if (input !== lastInput) {
      // Assigned after derive: a derive that throws is tried again on the next call.
      lastOutput = derive(input);
      lastInput = input;
    }
    return lastOutput;
  };
}

/** A value given once, or read again before each use (a key followed in a keyring). */
export type Followed<T> = T | (() => T);
