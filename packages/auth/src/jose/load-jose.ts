// jose costs ~40 ms of module loading, and only request tokens, DPoP proofs and private_key_jwt
// assertions need it: it is imported on first use, so `import '@mcapi/auth'` (and the client,
// whose OAuth 1.0a path never makes a JWT) does not pay for it.
type Jose = typeof import('jose');

let loading: Promise<Jose> | undefined;

/** The jose module, imported once on first call. */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose');
  return loading;
}
