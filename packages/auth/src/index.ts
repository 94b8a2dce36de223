export { percentEncode } from './oauth1/percent-encode.js';
export { baseUri } from './oauth1/base-uri.js';
export { collectParameters } from './oauth1/parameters.js';
export { signatureBaseString } from './oauth1/base-string.js';
export { bodyHash, type OAuth1Body } from './oauth1/body-hash.js';
export { generateNonce } from './oauth1/nonce.js';
export type { OAuth1SignatureMethod, OAuth1SignFunction, OAuth1SigningKey } from './oauth1/signing-key.js';
export { createOAuth1Signer, type OAuth1Request, type OAuth1Signer, type OAuth1SignerOptions } from './oauth1/signer.js';
export { getAuthorizationHeader } from './oauth1/get-authorization-header.js';
export { createMemoryNonceStore, type MemoryNonceStoreOptions, type NonceStore } from './oauth1/nonce-store.js';
export {
  verifyOAuth1,
  type OAuth1FailureReason,
  type OAuth1Headers,
  type OAuth1KeyLookup,
  type VerifyOAuth1Options,
  type VerifyOAuth1Result,
} from './oauth1/verifier.js';
export {
  createRequestTokenSigner,
  type RequestTokenAlgorithm,
  type RequestTokenSigner,
  type RequestTokenSignerOptions,
} from './request-token/request-token-signer.js';
