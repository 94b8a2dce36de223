// Public API of @mcapi/client: re-exports only.
export { createClient, type ClientOptions, type EncryptionCredentials, type McapiClient, type RetryOptions } from './client/create-client.js';
export type { RequestOptions } from './client/request-options.js';
export type { BenefitAllocationAuth } from './config/client-options.js';
export type {
  AssignSegmentRequest,
  BenefitAllocationApi,
  Bundles,
  CancelSegmentRequest,
  FreezeCardRequest,
  ReplaceCardRequest,
  ReplaceSegmentRequest,
} from './apis/benefit-allocation.js';
export type {
  Account,
  BalanceOptions,
  ConfirmedQuote,
  CrossBorderApi,
  Payment,
  PaymentCancellation,
  PaymentLookup,
  PaymentRequest,
  Quote,
  QuoteCancellation,
  QuoteConfirmation,
  QuoteReference,
  QuoteRequest,
  Rates,
} from './apis/cross-border.js';
export {
  RFI_MAX_DOCUMENT_BYTES,
  RFI_MIN_TIMEOUT_MS,
  type RfiApi,
  type RfiDocument,
  type RfiDocumentReceipt,
  type RfiDocumentUpload,
  type RfiRequest,
  type RfiUpdate,
  type RfiUpdateResult,
} from './apis/cross-border-rfi.js';
export type {
  AccountsApi,
  AccountValidation,
  AccountValidationRequest,
  AddressesApi,
  AddressValidation,
  AddressValidationRequest,
  BankLookup,
  BankLookupRequest,
  BanksApi,
  IbanGeneration,
  IbanGenerationRequest,
} from './apis/cross-border-validation.js';
export type {
  CashPickupApi,
  CashPickupBranch,
  CashPickupBranchesQuery,
  CashPickupCitiesQuery,
  CashPickupCity,
  CashPickupCountry,
  CashPickupPage,
  CashPickupProvider,
  CashPickupProvidersQuery,
  CashPickupType,
  EndpointGuide,
  EndpointGuideApi,
  EndpointGuideQuery,
  PageQuery,
} from './apis/cross-border-catalog.js';
export { environments, type EnvironmentName, type EnvironmentOption, type EnvironmentUrls } from './environment/environments.js';
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createApiError,
  DeclinedError,
  McapiApiError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  type McapiApiErrorInit,
} from './errors/api-error.js';
export { parseErrorEnvelope, type MastercardError, type MastercardErrorDetail } from './errors/error-envelope.js';
// Lossless JSON lives in @mcapi/jwe (one home for JSON payload handling); re-exported for users.
export {
  isJsonNumber,
  jsonNumber,
  numberText,
  parseJsonLossless,
  stringifyJsonLossless,
  type JsonNumber,
  type LosslessJson,
} from '@mcapi/jwe';
export { toCardNumber, type CardNumberInput } from './json/card-number.js';
export { asArray, normalizeResponse, toBoolean, type Normalized } from './normalize/normalize.js';
export type { ClientLogEvent } from './logging/logger.js';
export { backoffDelay, retryAfterMs, type RetryPolicyOptions } from './pipeline/retry-policy.js';
export type { Authorizer } from './pipeline/authorize-step.js';
export type { OAuth1Credentials, RequestTokenCredentials } from './auth/authorizers.js';
export { createPayloadCrypto, type PayloadCrypto, type PayloadCryptoOptions } from './encryption/payload-crypto.js';
export { crossBorderWrapper, encryptedDataWrapper, unwrapToken, wrapToken, type EncryptionWrapper } from './encryption/wrapper.js';
export type { components as BenefitAllocationComponents, paths as BenefitAllocationPaths } from './generated/benefit-allocation.js';
export type { components as CrossBorderComponents, paths as CrossBorderPaths } from './generated/cross-border.js';
export { createMastercardFetch, type MastercardFetch, type MastercardFetchOptions } from './fetch/create-mastercard-fetch.js';
export {
  createAxiosInterceptors,
  mcapiErrorOf,
  type AxiosInterceptorsOptions,
  type MastercardAxiosInterceptors,
} from './axios/create-axios-interceptors.js';
export type { AxiosConfigLike, AxiosInstanceLike, AxiosResponseLike } from './axios/axios-shapes.js';
export { oauth2Authorizer, type BalanceCredentials, type CrossBorderAuth, type OAuth2Credentials } from './auth/oauth2-authorizers.js';
export { createWebhookHandler, type WebhookHandler, type WebhookHandlerOptions, type WebhookReply } from './webhooks/create-webhook-handler.js';
export { createMemoryEventRefStore, type EventRefStore, type MemoryEventRefStoreOptions } from './webhooks/event-ref-store.js';
export { mastercardNotificationNames } from './webhooks/peer-names.js';
export type {
  AccountValidationEvent,
  PaymentStatusEvent,
  QuoteStatusEvent,
  RatesEvent,
  RfiEvent,
  WebhookEvent,
} from './webhooks/webhook-event.js';
