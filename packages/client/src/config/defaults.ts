// Every default of the client and the fetch adapter, named once (resolve-config.ts applies them).

/** Per-attempt timeout when `timeout` is not given, ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Cross-Border RFI calls never time out sooner: "wait at least 40 s before treating an RFI call
 * as timed out" (api-facts §2.6.9).
 */
export const RFI_MIN_TIMEOUT_MS = 40_000;
/** Longest timeout accepted, ms: Node's timers cannot wait longer (2^31 − 1). */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Retries of safe failures when `maxRetries` is not given. */
export const DEFAULT_MAX_RETRIES = 2;
/** Most retries accepted: more would only hide an outage. */
export const MAX_RETRIES_LIMIT = 10;
/** Header carrying the per-call correlation id. */
export const DEFAULT_CORRELATION_ID_HEADER = 'x-mc-correlation-id';
/** Benefit Allocation's JWE member (Mastercard does not document it; the library default). */
export const DEFAULT_ENCRYPTED_FIELD = 'encryptedData';
/** Keep-alive connections of the transport that carries OAuth 2.0 token requests. */
export const TOKEN_TRANSPORT_CONNECTIONS = 2;
