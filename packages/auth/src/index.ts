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
export {
  createFapi2Client,
  type Fapi2AccessToken,
  type Fapi2Client,
  type Fapi2ClientOptions,
  type Fapi2Request,
} from './oauth2/fapi2-client.js';
export type { Fapi2Algorithm } from './oauth2/jws-algorithm.js';
export type { FetchLike } from './oauth2/token-endpoint.js';
export { accessTokenHash, dpopTargetUri } from './oauth2/dpop.js';
export {
  createAuthorizationCodeClient,
  type AuthorizationCodeClient,
  type AuthorizationCodeClientOptions,
  type ClientAssertionOptions,
} from './oauth2/authorization-code-client.js';
export { createPkce, type PkcePair } from './oauth2/pkce.js';
export { createFileRefreshTokenStore, type RefreshTokenStore, type StoredRefreshToken } from './oauth2/refresh-token-store.js';
export { createMemoryRefreshTokenStore } from './stores/memory-refresh-token-store.js';
export type { RedisLike, RedisStoreOptions } from './stores/redis-client.js';
export { createRedisNonceStore, type RedisNonceStoreOptions } from './stores/redis-nonce-store.js';
export { createRedisRefreshTokenStore, type RedisRefreshTokenStoreOptions } from './stores/redis-refresh-token-store.js';
export {
  isSharedRefreshTokenStore,
  type CoordinateRefreshOptions,
  type RefreshCommit,
  type SharedAccessToken,
  type SharedRefreshTokenStore,
} from './stores/shared-refresh.js';
export { createRedisFapi2TokenCache, type Fapi2TokenCache, type RedisFapi2TokenCacheOptions } from './stores/fapi2-token-cache.js';
