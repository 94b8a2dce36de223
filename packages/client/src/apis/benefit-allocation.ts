import type { components } from '../generated/benefit-allocation.js';
import { toCardNumber } from '../json/card-number.js';
import { type Normalized, normalizeResponse } from '../normalize/normalize.js';
import type { ApiCaller } from '../client/api-caller.js';
import type { RequestOptions } from '../client/request-options.js';
import { expectObject } from './response-shape.js';

type Schemas = components['schemas'];
/** Body of {@link BenefitAllocationApi.assignSegment}. */
export type AssignSegmentRequest = Schemas['AssignBenefitAllocation'];
/** Body of {@link BenefitAllocationApi.replaceSegment}. */
export type ReplaceSegmentRequest = Schemas['ReplaceBenefitAllocation'];
/** Body of {@link BenefitAllocationApi.cancelSegment}. */
export type CancelSegmentRequest = Schemas['CancelBenefitAllocation'];
/** Body of {@link BenefitAllocationApi.replaceCard}. */
export type ReplaceCardRequest = Schemas['CardReplacement'];
/** Body of {@link BenefitAllocationApi.freezeCard} / `unfreezeCard` (`isFrozen` is set for you). */
export type FreezeCardRequest = Omit<Schemas['FrozenCard'], 'isFrozen'>;
/** Bundles returned by the segment and card operations. */
export type Bundles = Normalized<Schemas['Bundles']>;

/** Benefit Allocation Service (mTLS + JWE). */
export interface BenefitAllocationApi {
  /**
   * Assigns a segment to a card (`POST /card-segments`).
   *
   * @example
   * ```ts
   * const { bundles } = await client.benefitAllocation.assignSegment({
   *   cardNumber: 5291070000000000n, segments: [{ code: 'DART', effectiveDate: '2026-11-25' }],
   * });
   * ```
   */
  assignSegment(request: AssignSegmentRequest, options?: RequestOptions): Promise<Bundles>;
  /** Replaces the active segment (`PUT /card-segments-replacements`). */
  replaceSegment(request: ReplaceSegmentRequest, options?: RequestOptions): Promise<Bundles>;
  /** Cancels a segment and its bundles (`PUT /card-segments-cancellations`). */
  cancelSegment(request: CancelSegmentRequest, options?: RequestOptions): Promise<Bundles>;
  /** Moves benefits to a new card (`POST /cards`, Mastercard's `cardReplacement`). */
  replaceCard(request: ReplaceCardRequest, options?: RequestOptions): Promise<Bundles>;
  /** Freezes benefit eligibility (`PUT /cards`, `isFrozen: true`; 204). */
  freezeCard(request: FreezeCardRequest, options?: RequestOptions): Promise<void>;
  /** Reinstates benefit eligibility (`PUT /cards`, `isFrozen: false`; 204). */
  unfreezeCard(request: FreezeCardRequest, options?: RequestOptions): Promise<void>;
}

/**
 * The Benefit Allocation group of a client. No operation is treated as idempotent, PUTs
 * included: the service answers a repeated freeze, replace or cancel with an error (the card is
 * already frozen, the segment already replaced), so a blind resend after an ambiguous network
 * failure would turn a success into a misleading failure. 429, 503 and connections that failed
 * before sending are still retried.
 */
export function createBenefitAllocationApi(call: ApiCaller): BenefitAllocationApi {
  const bundles = async (operation: string, method: 'POST' | 'PUT', path: string, json: unknown, options?: RequestOptions) => {
    const response = await call({ operation: `benefitAllocation.${operation}`, method, path, json, idempotent: false, options });
    return normalizeResponse(expectObject(response.json, operation)) as Bundles;
  };
  const freeze = async (isFrozen: boolean, request: FreezeCardRequest, options?: RequestOptions) => {
    await call({
      operation: `benefitAllocation.${isFrozen ? 'freezeCard' : 'unfreezeCard'}`,
      method: 'PUT',
      path: '/cards',
      json: { ...request, cardNumber: toCardNumber(request.cardNumber, 'cardNumber'), isFrozen },
      idempotent: false,
      options,
    });
  };
  return {
    assignSegment: async (request, options) =>
      bundles('assignSegment', 'POST', '/card-segments', { ...request, cardNumber: toCardNumber(request.cardNumber, 'cardNumber') }, options),
    replaceSegment: async (request, options) =>
      bundles(
        'replaceSegment',
        'PUT',
        '/card-segments-replacements',
        { ...request, cardNumber: toCardNumber(request.cardNumber, 'cardNumber') },
        options,
      ),
    cancelSegment: async (request, options) =>
      bundles(
        'cancelSegment',
        'PUT',
        '/card-segments-cancellations',
        { ...request, cardNumber: toCardNumber(request.cardNumber, 'cardNumber') },
        options,
      ),
    replaceCard: async (request, options) =>
      bundles(
        'replaceCard',
        'POST',
        '/cards',
        {
          ...request,
          oldCardNumber: toCardNumber(request.oldCardNumber, 'oldCardNumber'),
          newCardNumber: toCardNumber(request.newCardNumber, 'newCardNumber'),
        },
        options,
      ),
    freezeCard: async (request, options) => freeze(true, request, options),
    unfreezeCard: async (request, options) => freeze(false, request, options),
  };
}
