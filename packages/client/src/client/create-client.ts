import { type BenefitAllocationApi, createBenefitAllocationApi } from '../apis/benefit-allocation.js';
import { type CrossBorderApi, createCrossBorderApi } from '../apis/cross-border.js';
import { createApiAuth } from '../auth/api-auth.js';
import type { ClientOptions } from '../config/client-options.js';
import { notConfigured } from '../config/not-configured.js';
import { type ApiConfig, type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { createPayloadCrypto } from '../encryption/payload-crypto.js';
import { apiErrorStep } from '../pipeline/api-error-step.js';
import { encryptStep } from '../pipeline/encrypt-step.js';
import { createPipeline } from '../pipeline/pipeline.js';
import { serializeStep } from '../pipeline/serialize-step.js';
import type { Step } from '../pipeline/types.js';
import { createApiTransport } from '../transport/api-transport.js';
import { type ApiCaller, createApiCaller } from './api-caller.js';

export type { ClientOptions, EncryptionCredentials, RetryOptions } from '../config/client-options.js';

/** What {@link createClient} returns. */
export interface McapiClient {
  readonly benefitAllocation: BenefitAllocationApi;
  readonly crossBorder: CrossBorderApi;
  /** Closes the connections the client opened (never a dispatcher you passed in). */
  close(): Promise<void>;
}

/**
 * Creates a typed client for Benefit Allocation (mTLS + JWE) and Cross-Border Services (OAuth 1.0a,
 * request token or OAuth 2.0 + JWE). Options are checked once (`resolveConfig`); each call runs:
 * serialise (lossless) → encrypt → retry loop → sign (fresh nonce each attempt) → transport; and
 * back: decrypt by kid → parse → typed error.
 *
 * @throws McapiError `ERR_INVALID_OPTION` naming the option (and, for missing keys, the keytool command).
 * @example
 * ```ts
 * const client = createClient({
 *   environment: 'sandbox',
 *   keyring: await openKeyring('./.mcapi/keyring'),
 *   crossBorder: { partnerId: 'SANDBOX_1234567' },
 * });
 * const { bundles } = await client.benefitAllocation.assignSegment({
 *   cardNumber: '5291070000000000', segments: [{ code: 'DART', effectiveDate: '2026-11-25' }],
 * });
 * await client.close();
 * ```
 */
export function createClient(options: ClientOptions): McapiClient {
  const config = resolveConfig(options);
  const closers: (() => Promise<void>)[] = [];
  const group = <T extends object>(api: ApiConfig, build: (call: ApiCaller) => T): T => {
    if (api.unavailable !== undefined) return unavailable(api.name, build(unusedCaller), api.unavailable);
    return build(openApi(api, config, closers));
  };
  return {
    benefitAllocation: group(config.benefitAllocation, (call) => createBenefitAllocationApi(call)),
    crossBorder: group(config.crossBorder, (call) => createCrossBorderApi(call, config.crossBorder.partnerId, config.crossBorder.encryption !== undefined)),
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

// One API's transport, authorizer and pipeline, from its resolved configuration.
function openApi(api: ApiConfig, config: ResolvedConfig, closers: (() => Promise<void>)[]): ApiCaller {
  const { transport, enforcesTimeout } = createApiTransport(api.transport);
  // Token requests (OAuth 2.0) go to the API's host with its roots, proxy and client certificate
  // (MTS EU/UK ask for one there too).
  const auth = createApiAuth(api.auth, api.transport);
  closers.push(async () => transport.close(), auth.close);
  const perCall: Step[] = [apiErrorStep(), serializeStep()];
  if (api.encryption) perCall.push(encryptStep(createPayloadCrypto(api.encryption.credentials), api.encryption.wrapper, config.logger));
  const handler = createPipeline({
    transport,
    timeout: { timeoutMs: config.call.timeoutMs, transportEnforcesTimeout: enforcesTimeout },
    retry: config.retry,
    logger: config.logger,
    authorizer: auth.authorizer,
    perCall,
  });
  return createApiCaller(handler, api.baseUrl, config.call);
}

const unusedCaller: ApiCaller = async () => {
  throw new Error('unreachable: the methods of an unavailable group are replaced');
};

// A group that cannot make calls: the same plain object shape (so it can be logged or
// serialised), every method rejecting with ERR_INVALID_OPTION naming what is missing.
function unavailable<T extends object>(name: string, shape: T, missing: string): T {
  const reject = async () => {
    throw notConfigured(name, missing);
  };
  const replace = (value: object): object =>
    Object.fromEntries(Object.entries(value).map(([key, member]) => [key, typeof member === 'function' ? reject : replace(member as object)]));
  return replace(shape) as T;
}
